import { z } from "zod";
import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { runCreationSchema, runListQuerySchema, runParamsSchema, runSchema } from "./runs.schemas.js";
import type { RunsService } from "./runs.service.js";

const TAGS = ["admin: railway"];

export function runRoutes(runs: RunsService, guards: Pick<Guards, "admin">): ApiRouter {
  return new ApiRouter()
    .route({
      method: "get",
      path: "/admin/runs",
      summary: "Runs (dated departures), earliest first; filter by train and departure range",
      tags: TAGS,
      auth: guards.admin,
      query: runListQuerySchema,
      response: pageSchema(runSchema),
      handler: ({ query }) => runs.list(query),
    })
    .route({
      method: "post",
      path: "/admin/runs",
      summary: "Create runs of a train (idempotent per departure); answers every requested run",
      description:
        "`departure` (or each of `departures`) is the instant the train leaves its first stop; times at the " +
        "other stops follow from the train's route.",
      tags: TAGS,
      auth: guards.admin,
      body: runCreationSchema,
      response: z.array(runSchema),
      status: 201,
      errors: { 404: "Train not found" },
      handler: ({ body }) => runs.create(body),
    })
    .route({
      method: "get",
      path: "/admin/runs/:run_id",
      summary: "A run",
      tags: TAGS,
      auth: guards.admin,
      params: runParamsSchema,
      response: runSchema,
      errors: { 404: "Run not found" },
      handler: ({ params }) => runs.get(params.run_id),
    })
    .route({
      method: "delete",
      path: "/admin/runs/:run_id",
      summary: "Delete a run without tickets, with its holds and store bindings (idempotent)",
      tags: TAGS,
      auth: guards.admin,
      params: runParamsSchema,
      response: emptyResponseSchema,
      errors: { 409: "Run has tickets" },
      handler: async ({ params }) => {
        await runs.delete(params.run_id);
        return EMPTY_RESPONSE;
      },
    });
}
