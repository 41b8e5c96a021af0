import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema, ValidationError } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import type { StoresService } from "./stores.service.js";
import {
  storeCreationSchema,
  storeIdParamsSchema,
  storeListQuerySchema,
  storeListRequestSchema,
  storeListResponseSchema,
  storePageQuerySchema,
  storeResponseSchema,
} from "./stores.schemas.js";

/** Administration of stores (reference 4.2, now authenticated) and the robot's read routes (4.4). */
export function storesRoutes(stores: StoresService, guards: Guards): ApiRouter {
  const api = new ApiRouter();
  const adminTags = ["admin"];
  const robotTags = ["robot"];

  api.route({
    method: "post",
    path: "/admin/store",
    summary: "Create a store",
    tags: adminTags,
    auth: guards.admin,
    body: storeCreationSchema,
    response: storeResponseSchema,
    errors: { 409: "Store with this name already exists" },
    handler: ({ body }) => stores.create(body),
  });

  api.route({
    method: "get",
    path: "/admin/stores",
    summary: "List stores (without items)",
    tags: adminTags,
    auth: guards.admin,
    query: storePageQuerySchema,
    response: pageSchema(storeResponseSchema),
    handler: ({ query }) => stores.list(query),
  });

  api.route({
    method: "get",
    path: "/admin/store/:store_id",
    summary: "A store with all its items (used by the base service)",
    tags: adminTags,
    auth: guards.admin,
    params: storeIdParamsSchema,
    response: storeResponseSchema,
    errors: { 404: "Store not found" },
    handler: ({ params }) => stores.getWithItems(params.store_id),
  });

  api.route({
    method: "delete",
    path: "/admin/store/:store_id",
    summary: "Delete a store with its items, purchases and tasks",
    description:
      "With UNBIND_IN_BASE (the stack) the base service first forgets the store (train-run bindings, terminal " +
      "key and sessions); " +
      "while that is impossible the answer is 503 and nothing is deleted.",
    tags: adminTags,
    auth: guards.admin,
    params: storeIdParamsSchema,
    response: emptyResponseSchema,
    errors: {
      404: "Store not found",
      503: "Base service unavailable: the store's train bindings and terminal could not be removed",
    },
    handler: async ({ params }) => {
      await stores.delete(params.store_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/admin/ids/stores",
    summary: "Stores with the given ids (unknown ids skipped)",
    description:
      'Takes `?ids=` query parameters, or for compatibility a JSON body `{"ids": [...]}` on this GET.',
    tags: adminTags,
    auth: guards.admin,
    query: storeListQuerySchema,
    body: storeListRequestSchema.optional(),
    response: storeListResponseSchema,
    handler: ({ query, body }) => {
      const ids = query.ids ?? body?.ids;
      if (!ids) throw new ValidationError([{ type: "missing", loc: ["body", "ids"], msg: "Field required" }]);
      return stores.listByIds(ids);
    },
  });

  api.route({
    method: "get",
    path: "/robot/store/:store_id",
    summary: "A store with its items, for the robot's shop screen",
    tags: robotTags,
    auth: guards.robot,
    params: storeIdParamsSchema,
    response: storeResponseSchema,
    errors: { 404: "Store not found" },
    handler: ({ params }) => stores.getWithItems(params.store_id),
  });

  api.route({
    method: "post",
    path: "/robot/stores/list",
    summary: "Stores with the given ids (without items)",
    tags: robotTags,
    auth: guards.robot,
    body: storeListRequestSchema,
    response: storeListResponseSchema,
    handler: ({ body }) => stores.listByIds(body.ids),
  });

  return api;
}
