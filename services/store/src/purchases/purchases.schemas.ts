import { z } from "zod";
import { laxInt, pageQuerySchema, uuidSchema } from "@rail/common";
import { storableJsonObject } from "../shared/text.js";

// Bounded so that count * price summed over all lines stays exact in a JS number.
const MAX_LINES = 100;
const MAX_COUNT = 10_000;

export const purchaseLineSchema = z.object({
  item_id: uuidSchema,
  count: laxInt(z.number().int().min(1).max(MAX_COUNT)),
});

export const purchaseCreationSchema = z.object({
  user_id: uuidSchema,
  items: z.array(purchaseLineSchema).min(1).max(MAX_LINES),
  is_default_ready: z.boolean(),
  additional_data: storableJsonObject.default({}),
  /** New, optional: the train the goods go to; robots list ready tasks by it. */
  train_number: z.number().int().min(1).max(2_147_483_647).nullish(),
});
export type PurchaseCreation = z.infer<typeof purchaseCreationSchema>;

/** Printable ASCII without spaces, as commonly used for idempotency keys (UUIDs, ULIDs, random strings). */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be 1-255 printable ASCII characters without spaces");

export const purchaseLineResponseSchema = z.object({
  item_id: z.string(),
  count: z.number().int(),
  name: z.string(),
  price_penny: z.number().int(),
});

export const purchaseResponseSchema = z.object({
  id: z.string(),
  store_id: z.string(),
  user_id: z.string(),
  items: z.array(purchaseLineResponseSchema),
  /** Sum of count * unit price at purchase time. */
  total_penny: z.number().int(),
  date: z.string(),
});
export type PurchaseResponse = z.infer<typeof purchaseResponseSchema>;

export const storeIdParamsSchema = z.object({ store_id: uuidSchema });
export const userIdParamsSchema = z.object({ user_id: uuidSchema });
export const userPurchasesQuerySchema = pageQuerySchema;

export const purchaseStatusSchema = z.enum(["pending", "ready", "delivered"]);
export type PurchaseStatus = z.infer<typeof purchaseStatusSchema>;

/** The base service's view of a passenger's purchases (cross-service contract). */
export const userPurchaseSchema = z.object({
  id: z.string(),
  store_id: z.string(),
  store_name: z.string(),
  date: z.string(),
  total_penny: z.number().int(),
  status: purchaseStatusSchema,
  items: z.array(purchaseLineResponseSchema),
});
export type UserPurchase = z.infer<typeof userPurchaseSchema>;
