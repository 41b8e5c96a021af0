import { useState } from "react";
import {
  AutocompleteInput,
  DateField,
  NumberField,
  NumberInput,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  TextField,
  required,
  useRecordContext,
  useTranslate,
} from "react-admin";
import { QrCode } from "../../components/QrCode.js";
import {
  CreatePage,
  ResourceList,
  StationInput,
  search,
  useAction,
  type ConsoleResource,
} from "../common.js";
import { call } from "../providers.js";

/** The ticket's QR code (its signed code, as robots check it), shown on demand for printing. */
function TicketQr() {
  const record = useRecordContext();
  const translate = useTranslate();
  const run = useAction();
  const [code, setCode] = useState<string | null>(null);
  if (!record) return null;
  if (code)
    return (
      <span className="console-qr" onClick={(e) => e.stopPropagation()}>
        <QrCode value={code} size={160} alt={translate("rail.ticketQr")} />
        <button type="button" onClick={() => window.print()}>
          {translate("rail.print")}
        </button>
      </span>
    );
  async function show(event: React.MouseEvent) {
    event.stopPropagation();
    const signed = await run((config) =>
      call<{ signed_code: string }>(config, "base", "GET", `/admin/ticket/${record!.id}/signed_code`),
    );
    if (signed) setCode(signed.signed_code);
  }
  return (
    <button type="button" onClick={(e) => void show(e)}>
      QR
    </button>
  );
}

/** How a run reads in pickers: train number and departure. */
const runName = (r: { train_number: number; departure: string }) =>
  `${r.train_number} · ${new Date(r.departure).toLocaleString()}`;

const passengerInput = (
  <ReferenceInput key="user" source="user_id" reference="passengers" alwaysOn>
    <AutocompleteInput optionText="name" />
  </ReferenceInput>
);
const runInput = (
  <ReferenceInput
    key="run"
    source="run_id"
    reference="runs"
    sort={{ field: "departure", order: "ASC" }}
    alwaysOn
  >
    <SelectInput optionText={runName} />
  </ReferenceInput>
);

export const tickets: ConsoleResource = {
  name: "tickets",
  routes: {
    service: "base",
    list: "/admin/tickets",
    create: "/admin/ticket",
    remove: (id) => `/admin/ticket/${id}`,
  },
  list: () => (
    <ResourceList
      filters={[...search, passengerInput, runInput, <NumberInput key="train" source="train_number" />]}
      sort={{ field: "date", order: "DESC" }}
      remove
    >
      <ReferenceField source="user_id" reference="passengers" link="show" />
      <NumberField source="train_number" />
      <NumberField source="wagon_number" />
      <NumberField source="place_number" />
      <TextField source="station_id" />
      <TextField source="destination" />
      <DateField source="date" showTime />
      <TicketQr />
    </ResourceList>
  ),
  create: () => (
    <CreatePage>
      <ReferenceInput source="user_id" reference="passengers">
        <AutocompleteInput optionText="name" validate={required()} />
      </ReferenceInput>
      <ReferenceInput source="run_id" reference="runs" sort={{ field: "departure", order: "ASC" }}>
        <SelectInput optionText={runName} validate={required()} />
      </ReferenceInput>
      <NumberInput source="wagon_number" validate={required()} />
      <NumberInput source="place_number" validate={required()} />
      <StationInput source="station_id" defaultValue="MOSCOW" />
      <StationInput source="destination" defaultValue="SPB" />
    </CreatePage>
  ),
};
