import { DateField, DateTimeInput, NumberField, NumberInput, TextField, required } from "react-admin";
import { CreatePage, ResourceList, search, type ConsoleResource } from "../common.js";

export const runs: ConsoleResource = {
  name: "runs",
  routes: {
    service: "base",
    list: "/admin/runs",
    create: "/admin/runs",
    remove: (id) => `/admin/runs/${id}`,
    toBody: ({ train_number, departure }) => ({ train_number, departure }),
  },
  list: () => (
    <ResourceList
      filters={[...search, <NumberInput key="t" source="train_number" />]}
      sort={{ field: "departure", order: "ASC" }}
      remove
    >
      <NumberField source="train_number" />
      <DateField source="departure" showTime />
      <DateField source="arrival" showTime />
      <TextField source="origin" />
      <TextField source="terminus" />
    </ResourceList>
  ),
  create: () => (
    <CreatePage>
      <NumberInput source="train_number" validate={required()} />
      <DateTimeInput
        source="departure"
        validate={required()}
        parse={(v: string) => (v ? new Date(v).toISOString() : v)}
      />
    </CreatePage>
  ),
};
