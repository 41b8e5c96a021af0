import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { storeIdParamsSchema } from "../stores/stores.schemas.js";
import type { ItemsService } from "./items.service.js";
import {
  adminItemResponseSchema,
  adminItemsQuerySchema,
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

  // --- Engineers (ADMIN) manage any store's catalogue without a terminal session; same rules and details. ---
  const adminTags = ["admin: items"];

  api.route({
    method: "get",
    path: "/admin/store/:store_id/items",
    summary: "Items of a store (optionally by part of the name)",
    tags: adminTags,
    auth: guards.admin,
    params: storeIdParamsSchema,
    query: adminItemsQuerySchema,
    response: pageSchema(adminItemResponseSchema),
    errors: { 404: "Store not found" },
    handler: ({ params, query }) => items.adminList(params.store_id, query),
  });

  api.route({
    method: "post",
    path: "/admin/store/:store_id/item",
    summary: "Add an item to a store",
    tags: adminTags,
    auth: guards.admin,
    params: storeIdParamsSchema,
    body: storeItemCreationSchema,
    response: adminItemResponseSchema,
    errors: { 404: "Store not found" },
    handler: ({ params, body }) => items.adminCreate(params.store_id, body),
  });

  api.route({
    method: "get",
    path: "/admin/store/item/:item_id",
    summary: "One item of any store",
    tags: adminTags,
    auth: guards.admin,
    params: itemIdParamsSchema,
    response: adminItemResponseSchema,
    errors: { 404: "Item not found" },
    handler: ({ params }) => items.adminGet(params.item_id),
  });

  api.route({
    method: "put",
    path: "/admin/store/item/:item_id",
    summary: "Overwrite an item (name, description, logo, stock, price, category)",
    description:
      "Overwrites the stock with `balance` as read earlier, like the terminal's PUT: a sale made meanwhile is " +
      "lost. To change only the stock while robots sell, use POST /admin/store/item/{item_id}/stock.",
    tags: adminTags,
    auth: guards.admin,
    params: itemIdParamsSchema,
    body: storeItemCreationSchema,
    response: adminItemResponseSchema,
    errors: { 404: "Item not found" },
    handler: ({ params, body }) => items.adminUpdate(params.item_id, body),
  });

  api.route({
    method: "post",
    path: "/admin/store/item/:item_id/stock",
    summary: "Change an item's stock by a relative amount; safe alongside sales",
    tags: adminTags,
    auth: guards.admin,
    params: itemIdParamsSchema,
    body: stockAdjustmentSchema,
    response: adminItemResponseSchema,
    errors: { 404: "Item not found", 400: "Not enough items | Stock would exceed the maximum balance" },
    handler: ({ params, body }) => items.adminAdjustStock(params.item_id, body.delta),
  });

  api.route({
    method: "delete",
    path: "/admin/store/item/:item_id",
    summary: "Remove an item (purchase history keeps what was sold)",
    tags: adminTags,
    auth: guards.admin,
    params: itemIdParamsSchema,
    response: emptyResponseSchema,
    errors: { 404: "Item not found" },
    handler: async ({ params }) => {
      await items.adminDelete(params.item_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
