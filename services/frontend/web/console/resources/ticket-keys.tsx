import { DateField, NumberField, SelectField, TextField, TopToolbar } from "react-admin";
import { ConfirmButton, ResourceList, useAction, type ConsoleResource } from "../common.js";
import { call } from "../providers.js";

/** Rotates the ticket signing key after a confirmation; codes signed by the old key stay valid until they expire. */
function RotateKeyButton() {
  const run = useAction();
  return (
    <ConfirmButton
      label="rail.rotateKey"
      content="rail.confirmRotateKey"
      onConfirm={() =>
        run(
          (config) => call<{ kid: string }>(config, "base", "POST", "/admin/ticket_keys/rotate"),
          (res) => ["rail.keyRotated", { kid: res.kid }],
        )
      }
    />
  );
}

const KEY_STATUSES = [
  { id: "current", name: "rail.keyCurrent" },
  { id: "retired", name: "rail.keyRetired" },
];

export const ticketKeys: ConsoleResource = {
  name: "ticket_keys",
  // Read-only list; rotation has its own button (POST /admin/ticket_keys/rotate).
  routes: { service: "base", list: "/admin/ticket_keys", idField: "kid", itemsField: "keys" },
  list: () => (
    <ResourceList
      filters={null}
      actions={
        <TopToolbar>
          <RotateKeyButton />
        </TopToolbar>
      }
      sort={{ field: "valid_from", order: "DESC" }}
      pagination={false}
    >
      <TextField source="kid" />
      <SelectField source="status" choices={KEY_STATUSES} />
      <DateField source="valid_from" showTime />
      <DateField source="retired_at" showTime emptyText="—" />
      <DateField source="codes_valid_until" showTime emptyText="—" />
      <TextField source="x" />
    </ResourceList>
  ),
};

export const ticketUseConflicts: ConsoleResource = {
  name: "ticket_use_conflicts",
  routes: { service: "base", list: "/admin/ticket_use_conflicts", idField: "use_id" },
  list: () => (
    <ResourceList sort={{ field: "received_at", order: "DESC" }}>
      <TextField source="ticket_id" />
      <NumberField source="train_number" />
      <DateField source="run_start" showTime />
      <TextField source="station_id" />
      <NumberField source="wagon_number" />
      <TextField source="robot_id" />
      <DateField source="first_used_at" showTime emptyText="—" />
      <DateField source="used_at" showTime />
      <DateField source="received_at" showTime />
    </ResourceList>
  ),
};
