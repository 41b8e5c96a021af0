import { TextField, TextInput, required } from "react-admin";
import { CreatePage, EditPage, ResourceList, stationName, type ConsoleResource } from "../common.js";
import { rest } from "../data.js";

const fields = (
  <>
    <TextInput source="name_ru" validate={required()} />
    <TextInput source="name_en" validate={required()} />
    <TextInput source="time_zone" defaultValue="Europe/Moscow" validate={required()} />
  </>
);

export const stations: ConsoleResource = {
  name: "stations",
  // Listed publicly by the timetable (an array); there is no single-station read, so one comes from the list.
  routes: rest("base", "/admin/stations", { list: "/timetable/stations", one: undefined }),
  recordRepresentation: stationName,
  list: () => (
    <ResourceList sort={{ field: "id", order: "ASC" }} rowClick="edit" remove>
      <TextField source="id" />
      <TextField source="name_ru" />
      <TextField source="name_en" />
      <TextField source="time_zone" />
    </ResourceList>
  ),
  create: () => (
    <CreatePage>
      <TextInput source="id" validate={required()} helperText="MOSCOW, SPB, …" />
      {fields}
    </CreatePage>
  ),
  edit: () => (
    <EditPage>
      <TextInput source="id" disabled />
      {fields}
    </EditPage>
  ),
};
