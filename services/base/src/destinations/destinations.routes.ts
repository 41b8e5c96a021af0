import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageQuerySchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  PLACE_KINDS,
  adminPlaceSchema,
  adminPlacesQuerySchema,
  attractionIdParamsSchema,
  destinationParamsSchema,
  hotelIdParamsSchema,
  placeInfoCreationSchema,
  placeInfoSchema,
  placeUpdateSchema,
} from "./destinations.schemas.js";
import type { DestinationsService } from "./destinations.service.js";

/** Hotels and attractions at destinations: robots read them, admins maintain them. */
export function destinationRoutes(destinations: DestinationsService, { admin, robot }: Guards): ApiRouter {
  const api = new ApiRouter();

  for (const kind of PLACE_KINDS) {
    const plural = `${kind}s`;
    for (const [section, guard] of [
      ["robot", robot],
      ["admin", admin],
    ] as const) {
      api.route({
        method: "get",
        path: `/${section}/destination/:destination_id/${plural}`,
        summary: `${plural} at a destination`,
        tags: [section === "robot" ? "robot" : "admin: destination info"],
        auth: guard,
        params: destinationParamsSchema,
        query: pageQuerySchema,
        response: pageSchema(placeInfoSchema),
        handler: ({ params, query }) => destinations.list(kind, params.destination_id, query),
      });
    }
    api.route({
      method: "post",
      path: `/admin/destination/:destination_id/${kind}`,
      summary: `Add a ${kind} at a destination`,
      tags: ["admin: destination info"],
      auth: admin,
      params: destinationParamsSchema,
      body: placeInfoCreationSchema,
      response: placeInfoSchema,
      errors: { 422: "Unknown station id (see GET /timetable/stations)" },
      handler: ({ params, body }) => destinations.create(kind, params.destination_id, body),
    });
  }

  // The engineer console: every place in one list, and one place by its id alone.
  for (const [kind, params, key] of [
    ["hotel", hotelIdParamsSchema, "hotel_id"],
    ["attraction", attractionIdParamsSchema, "attraction_id"],
  ] as const) {
    const title = kind === "hotel" ? "Hotel" : "Attraction";
    api.route({
      method: "get",
      path: `/admin/${kind}s`,
      summary: `${title}s at every destination (or one), by name`,
      tags: ["admin: destination info"],
      auth: admin,
      query: adminPlacesQuerySchema,
      response: pageSchema(adminPlaceSchema),
      handler: ({ query }) => destinations.listAll(kind, query),
    });
    api.route({
      method: "get",
      path: `/admin/destination_info/${kind}/:${key}`,
      summary: `One ${kind}`,
      tags: ["admin: destination info"],
      auth: admin,
      params,
      response: adminPlaceSchema,
      errors: { 404: `${title} not found` },
      handler: ({ params: p }) => destinations.get(kind, (p as Record<string, string>)[key]!),
    });
    api.route({
      method: "put",
      path: `/admin/destination_info/${kind}/:${key}`,
      summary: `Overwrite a ${kind} (name, description, logo; destination when given)`,
      tags: ["admin: destination info"],
      auth: admin,
      params,
      body: placeUpdateSchema,
      response: adminPlaceSchema,
      errors: { 404: `${title} not found`, 422: "Unknown station id (see GET /timetable/stations)" },
      handler: ({ params: p, body }) => destinations.update(kind, (p as Record<string, string>)[key]!, body),
    });
  }

  api.route({
    method: "delete",
    path: "/admin/destination_info/hotel/:hotel_id",
    summary: "Delete a hotel (idempotent)",
    tags: ["admin: destination info"],
    auth: admin,
    params: hotelIdParamsSchema,
    response: emptyResponseSchema,
    handler: async ({ params }) => {
      await destinations.delete("hotel", params.hotel_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "delete",
    path: "/admin/destination_info/attraction/:attraction_id",
    summary: "Delete an attraction (idempotent)",
    tags: ["admin: destination info"],
    auth: admin,
    params: attractionIdParamsSchema,
    response: emptyResponseSchema,
    handler: async ({ params }) => {
      await destinations.delete("attraction", params.attraction_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
