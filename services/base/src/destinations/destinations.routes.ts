import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  engineerGuard,
  pageQuerySchema,
  pageSchema,
  sessionGuard,
} from "@rail/common";
import type { Deps } from "../app.js";
import {
  PLACE_KINDS,
  attractionIdParamsSchema,
  destinationParamsSchema,
  hotelIdParamsSchema,
  placeInfoCreationSchema,
  placeInfoSchema,
} from "./destinations.schemas.js";
import * as destinations from "./destinations.service.js";

export function destinationRoutes(deps: Deps): ApiRouter {
  const admin = engineerGuard(deps.sessions);
  const robot = sessionGuard(deps.sessions, "robot");
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
        handler: ({ params, query }) => destinations.listPlaces(deps.db, kind, params.destination_id, query),
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
      handler: ({ params, body }) => destinations.createPlace(deps.db, kind, params.destination_id, body),
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
      await destinations.deletePlace(deps.db, "hotel", params.hotel_id);
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
      await destinations.deletePlace(deps.db, "attraction", params.attraction_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
