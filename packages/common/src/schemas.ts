import { z } from "zod";

/** Shared wire schemas used by more than one service. */
export const uuidSchema = z
  .uuid({ message: "Input should be a valid UUID" })
  .transform((s) => s.toLowerCase());
export const emptyResponseSchema = z.object({ status: z.literal("OK") });
export const EMPTY_RESPONSE = { status: "OK" } as const;
export const idParamsSchema = z.object({ id: uuidSchema });

export const storeTypeSchema = z.enum(["SHOP", "RESTAURANT"]);

/** Store item as the store service returns it (and the base service relays it). */
export const storeItemSchema = z.object({
  id: z.string(),
  name: z.string().max(50),
  description: z.string().max(255),
  logo_url: z.string().max(255),
  balance: z.number().int(),
  price_penny: z.number().int(),
  category: z.string().max(100),
});

export const storeSchema = z.object({
  id: z.string(),
  name: z.string().max(50),
  description: z.string().max(255),
  logo_url: z.string().max(255),
  store_type: storeTypeSchema,
  items: z.array(storeItemSchema).nullable().optional(),
});
export type StoreDto = z.infer<typeof storeSchema>;
