import { DateField, TextField, TextInput, required } from "react-admin";
import { CreatePage, ResourceList, type ConsoleResource } from "../common.js";

/** Columns of an enrolled key (robots and store terminals): fingerprint, enrolment, last login. */
export const keyColumns = [
  <TextField key="fp" source="key_fingerprint_sha256" />,
  <DateField key="enrolled" source="enrolled_at" showTime />,
  <DateField key="last" source="last_login_at" showTime emptyText="—" />,
];

export const robots: ConsoleResource = {
  name: "robots",
  routes: {
    service: "base",
    list: "/admin/robots",
    // Enrolment takes engineer credentials and the robot's public key (PEM), as robots do themselves.
    create: "/auth/robot/new_login",
    remove: (id) => `/admin/robots/${id}`,
  },
  list: () => (
    <ResourceList remove="rail.revoke">
      <TextField source="robot_model_name" />
      <TextField source="robot_model_id" />
      <TextField source="id" />
      {keyColumns}
    </ResourceList>
  ),
  create: () => (
    <CreatePage>
      <TextInput source="login" validate={required()} autoComplete="username" />
      <TextInput source="password" type="password" validate={required()} autoComplete="current-password" />
      <TextInput source="robot_model_id" validate={required()} />
      <TextInput source="robot_model_name" validate={required()} />
      <TextInput source="public_key" multiline minRows={6} validate={required()} fullWidth />
    </CreatePage>
  ),
};

export const storeTerminals: ConsoleResource = {
  name: "store_terminals",
  routes: {
    service: "base",
    list: "/admin/store_terminals",
    idField: "store_id",
    remove: (id) => `/admin/store_terminals/${id}`,
  },
  list: () => (
    <ResourceList sort={{ field: "enrolled_at", order: "DESC" }} remove="rail.revoke">
      <TextField source="store_id" />
      {keyColumns}
    </ResourceList>
  ),
};
