import {
  ArrayField,
  ArrayInput,
  Datagrid,
  NumberField,
  NumberInput,
  SelectInput,
  Show,
  SimpleFormIterator,
  SimpleShowLayout,
  TextField,
  TextInput,
  required,
} from "react-admin";
import { CreatePage, ResourceList, type ConsoleResource } from "../common.js";
import { rest } from "../data.js";

const WAGON_CLASSES = ["economy", "comfort", "business", "first"].map((id) => ({ id, name: id }));

export const trains: ConsoleResource = {
  name: "trains",
  routes: rest("base", "/admin/trains", {
    idField: "number",
    toBody: ({ id: _id, number, ...rest }) => ({ number, ...rest }),
  }),
  list: () => (
    <ResourceList sort={{ field: "number", order: "ASC" }} rowClick="show" remove>
      <NumberField source="number" />
      <TextField source="name" />
    </ResourceList>
  ),
  show: () => (
    <Show>
      <SimpleShowLayout>
        <NumberField source="number" />
        <TextField source="name" />
        <ArrayField source="stops">
          <Datagrid bulkActionButtons={false}>
            <TextField source="station_id" />
            <NumberField source="arrival_minutes" />
            <NumberField source="departure_minutes" />
          </Datagrid>
        </ArrayField>
        <ArrayField source="wagons">
          <Datagrid bulkActionButtons={false}>
            <NumberField source="number" />
            <TextField source="class" />
            <NumberField source="seats" />
          </Datagrid>
        </ArrayField>
      </SimpleShowLayout>
    </Show>
  ),
  create: () => (
    <CreatePage redirect="show">
      <NumberInput source="number" validate={required()} />
      <TextInput source="name" />
      <ArrayInput source="stops" validate={required()}>
        <SimpleFormIterator inline>
          <TextInput source="station_id" validate={required()} />
          <NumberInput source="arrival_minutes" />
          <NumberInput source="departure_minutes" />
        </SimpleFormIterator>
      </ArrayInput>
      <ArrayInput source="wagons" validate={required()}>
        <SimpleFormIterator inline>
          <NumberInput source="number" validate={required()} />
          <SelectInput source="class" choices={WAGON_CLASSES} validate={required()} />
          <NumberInput source="seats" validate={required()} />
        </SimpleFormIterator>
      </ArrayInput>
    </CreatePage>
  ),
};
