import {
  CheckboxGroupInput,
  DateField,
  NumberField,
  TextField,
  TextInput,
  required,
  useRecordContext,
} from "react-admin";
import { CreatePage, EditPage, ResourceList, type ConsoleResource } from "../common.js";

const PRIVILEGES = ["ROBOT_LOGIN", "STORE_LOGIN", "ROBOT_ADMIN", "ADMIN"].map((id) => ({ id, name: id }));

export const engineers: ConsoleResource = {
  name: "engineers",
  routes: {
    service: "base",
    list: "/admin/engineers",
    create: "/admin/engineer",
    // Privileges are replaced as a whole (the engineer's sessions end).
    update: () => "/admin/engineer_privileges",
    remove: (id) => `/admin/engineers/${id}`,
    toBody: ({ id, login, password, privileges }) =>
      password === undefined
        ? { id, privileges: privileges ?? [] }
        : { login, password, privileges: privileges ?? [] },
  },
  list: () => (
    <ResourceList rowClick="edit" remove>
      <TextField source="login" />
      <TextField source="id" />
    </ResourceList>
  ),
  create: () => (
    <CreatePage>
      <TextInput source="login" validate={required()} autoComplete="off" />
      <TextInput source="password" type="password" validate={required()} autoComplete="new-password" />
      <CheckboxGroupInput source="privileges" choices={PRIVILEGES} />
    </CreatePage>
  ),
  edit: () => (
    <EditPage>
      <TextInput source="login" disabled />
      <CheckboxGroupInput source="privileges" choices={PRIVILEGES} helperText="rail.privilegesReplace" />
    </EditPage>
  ),
};

export const authCards: ConsoleResource = {
  name: "auth_cards",
  routes: { service: "base", list: "/admin/auth_cards" },
  list: () => (
    <ResourceList sort={{ field: "engineer_login", order: "ASC" }}>
      <TextField source="engineer_login" />
      <TextField source="key_masked" />
      <TextField source="engineer_id" />
      <DateField source="created_at" showTime />
    </ResourceList>
  ),
};

function AuditChange() {
  const record = useRecordContext();
  if (!record) return null;
  return (
    <pre className="audit-change">
      {JSON.stringify({ request: record.request, before: record.before, after: record.after }, null, 2)}
    </pre>
  );
}

export const audit: ConsoleResource = {
  name: "audit",
  // Read-only: written by the base service for every admin change.
  routes: { service: "base", list: "/admin/audit" },
  list: () => (
    <ResourceList
      filters={[
        <TextInput key="actor" source="actor" alwaysOn />,
        <TextInput key="entity" source="entity" alwaysOn />,
        <TextInput key="action" source="action" />,
      ]}
      sort={{ field: "at", order: "DESC" }}
      expand={<AuditChange />}
    >
      <DateField source="at" showTime />
      <TextField source="actor_login" />
      <TextField source="action" />
      <TextField source="entity" />
      <TextField source="entity_id" />
      <NumberField source="status" />
    </ResourceList>
  ),
};
