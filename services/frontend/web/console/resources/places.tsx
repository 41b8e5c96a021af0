import { ImageField, ImageInput, ReferenceField, TextField, TextInput, required } from "react-admin";
import { CreatePage, EditPage, ResourceList, StationInput, search, type ConsoleResource } from "../common.js";
import type { ResourceRoutes } from "../data.js";

/** An image picked in a form is uploaded to the base service first; its URL becomes `logo_url`. */
export const PICTURE_UPLOAD: ResourceRoutes["uploads"] = {
  picture: { service: "base", path: "/admin/images", into: "logo_url" },
};

/** A record's picture (logo_url) and, in forms, a new one to upload in its place. */
export const pictureColumn = (
  <ImageField key="logo" source="logo_url" sx={{ "& img": { maxWidth: 96, maxHeight: 64, margin: 0 } }} />
);
export const pictureInputs = [
  pictureColumn,
  <ImageInput key="picture" source="picture" accept={{ "image/*": [".jpg", ".jpeg", ".png", ".webp"] }}>
    <ImageField source="src" title="title" />
  </ImageInput>,
];

/** Hotels and attractions: one shape (name, description, picture) at a destination picked from the stations. */
function place(kind: "hotel" | "attraction"): ConsoleResource {
  const at = (id: string) => `/admin/destination_info/${kind}/${id}`;
  const fields = [
    <StationInput key="destination" source="destination_id" />,
    <TextInput key="name" source="name" validate={required()} />,
    <TextInput key="description" source="description" defaultValue="" multiline />,
    ...pictureInputs,
  ];
  return {
    name: `${kind}s`,
    routes: {
      service: "base",
      list: `/admin/${kind}s`,
      serverSearch: true,
      one: at,
      create: (data) => `/admin/destination/${String(data.destination_id)}/${kind}`,
      update: at,
      remove: at,
      uploads: PICTURE_UPLOAD,
      // Created under its destination's path; an edit may move it to another destination.
      toBody: ({ id, destination_id, name, description, logo_url }) => ({
        ...(id === undefined ? {} : { destination_id }),
        name,
        description: description ?? "",
        logo_url: logo_url ?? "",
      }),
    },
    list: () => (
      <ResourceList
        filters={[...search, <StationInput key="d" source="destination_id" alwaysOn />]}
        sort={{ field: "name", order: "ASC" }}
        rowClick="edit"
        remove
      >
        {pictureColumn}
        <TextField source="name" />
        <ReferenceField source="destination_id" reference="stations" link={false} />
        <TextField source="description" />
      </ResourceList>
    ),
    create: () => <CreatePage>{fields}</CreatePage>,
    edit: () => <EditPage>{fields}</EditPage>,
  };
}

export const hotels = place("hotel");
export const attractions = place("attraction");
