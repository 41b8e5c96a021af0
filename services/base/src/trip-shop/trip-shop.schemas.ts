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

export const orderLineSchema = z.object({
  item_id: z.string(),
  name: z.string(),
  count: z.number().int(),
  price_penny: z.number().int(),
});

/** The store's answer to a purchase, as GET /frontend/orders lists it. */
export const orderSchema = z.object({
  id: z.string(),
  store_id: z.string(),
  store_name: z.string(),
  date: z.string(),
  total_penny: z.number().int(),
  status: z.enum(["pending", "ready", "delivered"]),
  items: z.array(orderLineSchema),
});
export type OrderDto = z.infer<typeof orderSchema>;

export const storePurchaseSchema = z.object({
  id: z.string(),
  store_id: z.string(),
  total_penny: z.number().int(),
  date: z.string(),
  items: z.array(orderLineSchema),
});
