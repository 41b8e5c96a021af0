import { z } from "zod";
import { uuidSchema } from "@rail/common";

/** The passenger's ticket whose run is in progress: where the robot delivers. */
export const tripTicketSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  train_number: z.number().int(),
  wagon_number: z.number().int(),
  place_number: z.number().int(),
});

export const shopItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  price_penny: z.number().int(),
  /** How many are left (the store's balance); 0 = sold out. */
  available: z.number().int(),
});

export const shopSchema = z.object({
  ticket: tripTicketSchema,
  stores: z.array(z.object({ id: z.string(), name: z.string(), items: z.array(shopItemSchema) })),
});
export type ShopDto = z.infer<typeof shopSchema>;

export const orderRequestSchema = z.object({
  ticket_id: uuidSchema,
  store_id: uuidSchema,
  items: z
    .array(z.object({ item_id: uuidSchema, count: z.number().int().min(1).max(100) }))
    .min(1)
    .max(50),
});
export type OrderRequest = z.infer<typeof orderRequestSchema>;

/** Printable ASCII without spaces, as the store service accepts. */
export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Idempotency-Key must be printable ASCII without spaces");

// The store's order shapes (the store gateway validates them); the shop shows them as they are.
export { orderLineSchema, orderSchema, storePurchaseSchema, type OrderDto } from "../store/store.schemas.js";
