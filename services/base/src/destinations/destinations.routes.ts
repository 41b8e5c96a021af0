import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageQuerySchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  PLACE_KINDS,
  attractionIdParamsSchema,
  destinationParamsSchema,
  hotelIdParamsSchema,
  placeInfoCreationSchema,
  placeInfoSchema,
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
