import type { Request, Response } from "express";
import { z } from "zod";
import { ApiRouter, pageSchema, parseRequestPart } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import type { Purchaser, PurchaseResult, PurchasesService } from "./purchases.service.js";
import {
  idempotencyKeySchema,
  purchaseCreationSchema,
  purchaseResponseSchema,
  storeIdParamsSchema,
  userIdParamsSchema,
  userPurchaseSchema,
  userPurchasesQuerySchema,
} from "./purchases.schemas.js";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";
const headersSchema = z.object({ [IDEMPOTENCY_HEADER]: idempotencyKeySchema.optional() });

const readIdempotencyKey = (req: Request) =>
  parseRequestPart(headersSchema, { [IDEMPOTENCY_HEADER]: req.header(IDEMPOTENCY_HEADER) }, "header")[
    IDEMPOTENCY_HEADER
  ];

function reply(res: Response, result: PurchaseResult) {
  if (result.replayed) res.setHeader("Idempotent-Replayed", "true");
  return result.purchase;
}

const PURCHASE_DESCRIPTION =
  "All-or-nothing. Repeated lines for one item are merged. Send an `Idempotency-Key` header (kept at least 24 h) " +
  "to make retries safe: a retry returns the first result (header `Idempotent-Replayed: true`), the same key " +
  "with a different body is 422.";
const PURCHASE_ERRORS = {
  400: "Not enough items",
  404: "Store not found | Some items not found | User not found (only with VERIFY_BUYERS_WITH_BASE)",
  422: "Validation error | Idempotency-Key was already used with a different request",
  503: "Too many purchases at once, retry",
};

export function purchasesRoutes(purchases: PurchasesService, guards: Guards): ApiRouter {
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/robot/store/:store_id/make_purchase",
    summary: "A robot buys items of a store for a passenger",
    description: PURCHASE_DESCRIPTION,
    tags: ["robot"],
    auth: guards.robot,
    params: storeIdParamsSchema,
    body: purchaseCreationSchema,
    response: purchaseResponseSchema,
    errors: PURCHASE_ERRORS,
    handler: async ({ auth, params, body, req, res }) => {
      const purchaser: Purchaser = { kind: "robot", subject: auth.subject };
      return reply(res, await purchases.purchase(purchaser, params.store_id, body, readIdempotencyKey(req)));
    },
  });

  api.route({
    method: "post",
    path: "/store/purchase",
    summary: "A store terminal records a purchase in its own store",
    description: PURCHASE_DESCRIPTION,
    tags: ["store terminal"],
    auth: guards.store,
    body: purchaseCreationSchema,
    response: purchaseResponseSchema,
    errors: PURCHASE_ERRORS,
    handler: async ({ auth, body, req, res }) => {
      const purchaser: Purchaser = { kind: "store", subject: auth.subject };
      return reply(res, await purchases.purchase(purchaser, auth.subject, body, readIdempotencyKey(req)));
    },
  });

  api.route({
    method: "post",
    path: "/internal/stores/:store_id/purchases",
    summary: "Another service (the base service's web shop) buys for a passenger",
    description: `${PURCHASE_DESCRIPTION} Idempotency keys are scoped per passenger.`,
    tags: ["internal"],
    auth: guards.admin,
    params: storeIdParamsSchema,
    body: purchaseCreationSchema,
    response: purchaseResponseSchema,
    errors: PURCHASE_ERRORS,
    handler: async ({ params, body, req, res }) => {
      const purchaser: Purchaser = { kind: "service", subject: body.user_id };
      return reply(res, await purchases.purchase(purchaser, params.store_id, body, readIdempotencyKey(req)));
    },
  });

  api.route({
    method: "get",
    path: "/internal/users/:user_id/purchases",
    summary: "A passenger's purchases, newest first (for the base service)",
    tags: ["internal"],
    auth: guards.admin,
    params: userIdParamsSchema,
    query: userPurchasesQuerySchema,
    response: pageSchema(userPurchaseSchema),
    handler: ({ params, query }) => purchases.listForUser(params.user_id, query),
  });

  return api;
}
