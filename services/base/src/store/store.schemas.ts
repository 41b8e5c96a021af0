import { z } from "zod";
import { pageSchema } from "@rail/common";

export const orderLineSchema = z.object({
  item_id: z.string(),
  name: z.string(),
  count: z.number().int(),
  price_penny: z.number().int(),
});

/** A purchase as the store service reports it (`GET /internal/users/{user_id}/purchases`). */
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
export const orderPageSchema = pageSchema(orderSchema);
export type OrderPage = z.infer<typeof orderPageSchema>;

/** The store's answer to a purchase made for a passenger (`POST /internal/stores/{store_id}/purchases`). */
export const storePurchaseSchema = z.object({
  id: z.string(),
  store_id: z.string(),
  total_penny: z.number().int(),
  date: z.string(),
  items: z.array(orderLineSchema),
});
