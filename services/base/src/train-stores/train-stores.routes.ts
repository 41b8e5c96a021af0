import { z } from "zod";
import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  engineerGuard,
  pageQuerySchema,
  pageSchema,
  sessionGuard,
  storeSchema,
} from "@rail/common";
import type { Deps } from "../app.js";
import {
  storeIdParamsSchema,
  trainDataSchema,
  trainDateQuerySchema,
  trainNumberParamsSchema,
} from "./train-stores.schemas.js";
import * as trainStores from "./train-stores.service.js";

export function trainStoreRoutes(deps: Deps): ApiRouter {
  const admin = engineerGuard(deps.sessions);
  const robot = sessionGuard(deps.sessions, "robot");
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/admin/store/:store_id/train",
    summary: "Bind a store to a train run",
    tags: ["admin: train stores"],
    auth: admin,
    params: storeIdParamsSchema,
    body: trainDataSchema,
    response: emptyResponseSchema,
    errors: { 404: "Store id not found", 409: "Binding already exists", 503: "Store service unavailable" },
    handler: async ({ params, body }) => {
      await trainStores.bindStore(deps, params.store_id, body);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/admin/train/stores",
    summary: "Ids of the stores bound to a train run (JSON body on GET, as in the reference)",
    tags: ["admin: train stores"],
    auth: admin,
    body: trainDataSchema,
    query: pageQuerySchema,
    response: pageSchema(z.string()),
    handler: ({ body, query }) => trainStores.listBoundStoreIds(deps, body, query),
  });

  api.route({
    method: "delete",
    path: "/admin/store/:store_id/train/unbind",
    summary: "Unbind a store from a train run (JSON body; idempotent)",
    tags: ["admin: train stores"],
    auth: admin,
    params: storeIdParamsSchema,
    body: trainDataSchema,
    response: emptyResponseSchema,
    handler: async ({ params, body }) => {
      await trainStores.unbindStore(deps, params.store_id, body);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/robot/train/stores",
    summary: "Stores serving a train run (JSON body on GET, as in the reference)",
    tags: ["robot"],
    auth: robot,
    body: trainDataSchema,
    response: z.array(storeSchema),
    errors: { 503: "Store service unavailable" },
    handler: ({ body }) => trainStores.trainStores(deps, body),
  });

  api.route({
    method: "get",
    path: "/robot/train/:train_number/stores",
    summary: "Stores serving a train run (the robot client's route)",
    tags: ["robot"],
    auth: robot,
    params: trainNumberParamsSchema,
    query: trainDateQuerySchema,
    response: z.array(storeSchema),
    errors: { 503: "Store service unavailable" },
    handler: ({ params, query }) =>
      trainStores.trainStores(deps, { train_number: params.train_number, train_date: query.train_date }),
  });

  return api;
}
