import { z } from "zod";
import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { trainCreationSchema, trainParamsSchema, trainSchema, trainUpdateSchema } from "./trains.schemas.js";
import type { TrainsService } from "./trains.service.js";

const TAGS = ["admin: railway"];
const ROUTE_RULES =
  "Stops in order; minutes count from the departure from the first stop (which leaves at 0); each stop is " +
  "reached after the previous one is left; departure_minutes defaults to arrival_minutes.";

export function trainRoutes(trains: TrainsService, guards: Pick<Guards, "admin">): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/admin/trains",
      summary: "Trains with their routes and wagons",
      tags: TAGS,
      auth: guards.admin,
      response: z.array(trainSchema),
      handler: () => trains.list(),
    })
    .route({
      method: "get",
      path: "/admin/trains/:train_number",
      summary: "A train with its route and wagons",
      tags: TAGS,
      auth: guards.admin,
      params: trainParamsSchema,
      response: trainSchema,
      errors: { 404: "Train not found" },
      handler: ({ params }) => trains.get(params.train_number),
    })
    .route({
      method: "post",
      path: "/admin/trains",
      summary: "Create a train: number, route and wagons",
      description: ROUTE_RULES,
      tags: TAGS,
      auth: guards.admin,
      body: trainCreationSchema,
      response: trainSchema,
      status: 201,
      errors: { 409: "Train already exists", 422: "Invalid route or wagons, or unknown station id" },
      handler: ({ body }) => trains.create(body),
    })
    .route({
      method: "put",
      path: "/admin/trains/:train_number",
      summary: "Replace a train's name, route and wagons (only before any ticket is sold)",
      description: ROUTE_RULES,
      tags: TAGS,
      auth: guards.admin,
      params: trainParamsSchema,
      body: trainUpdateSchema,
      response: trainSchema,
      errors: {
        404: "Train not found",
        409: "Train has tickets: its route and wagons can no longer change",
        422: "Invalid route or wagons, or unknown station id",
      },
      handler: ({ params, body }) => trains.replace(params.train_number, body),
    })
    .route({
      method: "delete",
      path: "/admin/trains/:train_number",
      summary: "Delete a train without runs (idempotent)",
      tags: TAGS,
      auth: guards.admin,
      params: trainParamsSchema,
      response: emptyResponseSchema,
      errors: { 409: "Train has runs: delete them first" },
      handler: async ({ params }) => {
        await trains.delete(params.train_number);
        return EMPTY_RESPONSE;
      },
    });
}
