import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { storeIdParamsSchema } from "../stores/stores.schemas.js";
import type { ItemsService } from "./items.service.js";
import {
  itemIdParamsSchema,
  itemsImportResponseSchema,
  itemsImportSchema,
  MAX_IMPORT_ROWS,
  itemsPageQuerySchema,
  stockAdjustmentSchema,
  storeItemCreationSchema,
  storeItemResponseSchema,
  storeItemUpdateSchema,
} from "./items.schemas.js";

/** Store terminal catalogue routes (reference 4.3); the session's store id scopes every call. */
export function itemsRoutes(items: ItemsService, guards: Guards): ApiRouter {
  const api = new ApiRouter();
  const tags = ["store terminal"];
  const notFoundErrors = { 404: "Store not found | Item not found" };

  api.route({
    method: "get",
    path: "/store/items",
    summary: "Items of the terminal's store",
    tags,
    auth: guards.store,
    query: itemsPageQuerySchema,
    response: pageSchema(storeItemResponseSchema),
    errors: { 404: "Store not found" },
    handler: ({ auth, query }) => items.list(auth.subject, query),
  });

  api.route({
    method: "get",
    path: "/store/item/:item_id",
    summary: "One item of the terminal's store",
    tags,
    auth: guards.store,
    params: itemIdParamsSchema,
    response: storeItemResponseSchema,
    errors: notFoundErrors,
    handler: ({ auth, params }) => items.get(auth.subject, params.item_id),
  });

  api.route({
    method: "post",
    path: "/store/item",
    summary: "Add an item to the terminal's store",
    tags,
    auth: guards.store,
    body: storeItemCreationSchema,
    response: storeItemResponseSchema,
    errors: { 404: "Store not found" },
    handler: ({ auth, body }) => items.create(auth.subject, body),
  });

  api.route({
    method: "put",
    path: "/store/item",
    summary: "Overwrite an item of the terminal's store",
    tags,
    auth: guards.store,
    body: storeItemUpdateSchema,
    response: storeItemResponseSchema,
    errors: notFoundErrors,
    handler: ({ auth, body }) => items.update(auth.subject, body),
  });

  api.route({
    method: "post",
    path: "/store/item/:item_id/stock",
    summary: "Change an item's stock by a relative amount (deliveries, write-offs); safe alongside sales",
    tags,
    auth: guards.store,
    params: itemIdParamsSchema,
    body: stockAdjustmentSchema,
    response: storeItemResponseSchema,
    errors: { ...notFoundErrors, 400: "Not enough items | Stock would exceed the maximum balance" },
    handler: ({ auth, params, body }) => items.adjustStock(auth.subject, params.item_id, body.delta),
  });

  api.route({
    method: "delete",
    path: "/store/item/:item_id",
    summary: "Remove an item (purchase history keeps what was sold)",
    tags,
    auth: guards.store,
    params: itemIdParamsSchema,
    response: emptyResponseSchema,
    errors: notFoundErrors,
    handler: async ({ auth, params }) => {
      await items.delete(auth.subject, params.item_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "post",
    path: "/admin/store/:store_id/items/import",
    summary: "Import items into a store, all or nothing",
    description:
      `1 to ${MAX_IMPORT_ROWS} rows in one statement: either every row is stored or none is. Invalid rows are ` +
      'listed in the 422 `detail` with `loc` `["body", "items", <row index>, <field>]`. `pnpm ops items import` ' +
      "sends CSV/JSON files here.",
    tags: ["admin"],
    auth: guards.admin,
    params: storeIdParamsSchema,
    body: itemsImportSchema,
    response: itemsImportResponseSchema,
    errors: { 404: "Store not found" },
    handler: async ({ params, body }) => {
      const created = await items.importItems(params.store_id, body.items);
      return { created: created.length, items: created };
    },
  });

  return api;
}
