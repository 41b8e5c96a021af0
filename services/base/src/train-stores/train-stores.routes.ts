import { z } from "zod";
import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema, storeSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  TRAIN_BODY_OR_QUERY,
  optionalTrainBodySchema,
  storeIdParamsSchema,
  trainDataSchema,
  trainFromBodyOrQuery,
  trainPageQuerySchema,
  trainQuerySchema,
} from "./train-stores.schemas.js";
import type { TrainStoresService } from "./train-stores.service.js";

/** Store bindings of train runs (admin) and the robot's list of a run's stores (reference 3.3.7, 3.2.7). */
export function trainStoreRoutes(
  trainStores: TrainStoresService,
  { admin, robot, service }: Guards,
): ApiRouter {
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
    errors: {
      404: "Store id not found",
      409: "Binding already exists",
      422: "No run of the train departs at train_date",
      503: "Store service unavailable",
    },
    handler: async ({ params, body }) => {
      await trainStores.bind(params.store_id, body);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/admin/train/stores",
    summary: "Ids of the stores bound to a train run (JSON body on GET, as in the reference, or query)",
    description: TRAIN_BODY_OR_QUERY,
    tags: ["admin: train stores"],
    auth: admin,
    body: optionalTrainBodySchema,
    query: trainPageQuerySchema,
    response: pageSchema(z.string()),
    handler: ({ body, query }) =>
      trainStores.listBoundStoreIds(trainFromBodyOrQuery(body, query), {
        page: query.page,
        size: query.size,
      }),
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
      await trainStores.unbind(params.store_id, body);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "delete",
    path: "/internal/stores/:store_id",
    summary: "Forget a store the store service is deleting: its train-run bindings and its terminal's key",
    description:
      "The store service calls it before deleting a store (UNBIND_IN_BASE). Idempotent: `bindings_removed` is " +
      "how many bindings there were; the terminal's sessions end.",
    tags: ["internal"],
    auth: service,
    params: storeIdParamsSchema,
    response: z.object({ status: z.literal("OK"), bindings_removed: z.number().int() }),
    handler: async ({ params }) => ({
      ...EMPTY_RESPONSE,
      bindings_removed: await trainStores.forgetStore(params.store_id),
    }),
  });

  api.route({
    method: "get",
    path: "/robot/train/stores",
    summary: "Stores serving a train run (JSON body on GET, as in the reference, or query)",
    description: TRAIN_BODY_OR_QUERY,
    tags: ["robot"],
    auth: robot,
    body: optionalTrainBodySchema,
    query: trainQuerySchema,
    response: z.array(storeSchema),
    errors: { 503: "Store service unavailable" },
    handler: ({ body, query }) => trainStores.trainStores(trainFromBodyOrQuery(body, query)),
  });

  return api;
}
