import { z } from "zod";
import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  stationCreationSchema,
  stationParamsSchema,
  stationSchema,
  stationUpdateSchema,
} from "./stations.schemas.js";
import type { StationsService } from "./stations.service.js";

export function stationRoutes(stations: StationsService, guards: Pick<Guards, "admin">): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/timetable/stations",
      summary: "Stations (destinations) with names in Russian and English and their time zones",
      tags: ["timetable"],
      response: z.array(stationSchema),
      handler: () => stations.list(),
    })
    .route({
      method: "post",
      path: "/admin/stations",
      summary: "Create a station",
      tags: ["admin: railway"],
      auth: guards.admin,
      body: stationCreationSchema,
      response: stationSchema,
      status: 201,
      errors: { 409: "Station already exists" },
      handler: ({ body }) => stations.create(body),
    })
    .route({
      method: "put",
      path: "/admin/stations/:station_id",
      summary: "Change a station's names or time zone (fields left out stay)",
      tags: ["admin: railway"],
      auth: guards.admin,
      params: stationParamsSchema,
      body: stationUpdateSchema,
      response: stationSchema,
      errors: { 404: "Station not found" },
      handler: ({ params, body }) => stations.update(params.station_id, body),
    })
    .route({
      method: "delete",
      path: "/admin/stations/:station_id",
      summary: "Delete a station nothing refers to (idempotent)",
      tags: ["admin: railway"],
      auth: guards.admin,
      params: stationParamsSchema,
      response: emptyResponseSchema,
      errors: { 409: "Station is in use by trains, tickets, hotels or attractions" },
      handler: async ({ params }) => {
        await stations.delete(params.station_id);
        return EMPTY_RESPONSE;
      },
    });
}
