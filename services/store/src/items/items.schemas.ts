import { z } from "zod";
import { laxInt, pageQuerySchema, storeItemSchema, uuidSchema } from "@rail/common";
import { storableText } from "../shared/text.js";

// Stock and prices are int4 columns; bounding them here turns overflow into a 422 instead of a 500.
const MAX_INT = 2_147_483_647;

export const itemIdParamsSchema = z.object({ item_id: uuidSchema });

export const storeItemCreationSchema = z.object({
  name: storableText(z.string().trim().min(1).max(50)),
  description: storableText(z.string().max(255)),
  logo_url: storableText(z.string().max(255)),
  // The reference's DebugConsole sends these two as strings of digits (pydantic coerced them).
  balance: laxInt(z.number().int().min(0).max(MAX_INT)),
  price_penny: laxInt(z.number().int().min(0).max(MAX_INT)),
  category: storableText(z.string().max(100)),
});
export type StoreItemCreation = z.infer<typeof storeItemCreationSchema>;

export const storeItemUpdateSchema = storeItemCreationSchema.extend({ id: uuidSchema });
export type StoreItemUpdate = z.infer<typeof storeItemUpdateSchema>;

/** A relative stock change: positive for deliveries, negative for write-offs (breakage, expiry). */
export const stockAdjustmentSchema = z.object({
  delta: z
    .number()
    .int()
    .min(-MAX_INT)
    .max(MAX_INT)
    .refine((n) => n !== 0, "delta must not be 0"),
});
export type StockAdjustment = z.infer<typeof stockAdjustmentSchema>;
export const MAX_BALANCE = MAX_INT;

export const storeItemResponseSchema = storeItemSchema;

/** Rows per bulk import: one INSERT; large enough for a whole catalogue, small enough for one request. */
export const MAX_IMPORT_ROWS = 5000;
export const itemsImportSchema = z.object({
  items: z.array(storeItemCreationSchema).min(1).max(MAX_IMPORT_ROWS),
});
export type ItemsImport = z.infer<typeof itemsImportSchema>;
export const itemsImportResponseSchema = z.object({
  created: z.number().int(),
  items: z.array(storeItemResponseSchema),
});
export const itemsPageQuerySchema = pageQuerySchema;

/** The engineer's view of an item: the terminal's shape plus the store it belongs to. */
export const adminItemResponseSchema = storeItemSchema.extend({ store_id: z.string() });
export type AdminItemResponse = z.infer<typeof adminItemResponseSchema>;
export const adminItemsQuerySchema = pageQuerySchema.extend({
  /** Part of the item's name, any case. */
  q: z.string().trim().max(100).optional(),
});
