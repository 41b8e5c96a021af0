import { z } from "zod";
import { pageQuerySchema, storeItemSchema, storeSchema, storeTypeSchema, uuidSchema } from "@rail/common";
import { storableText } from "../shared/text.js";

export const storeIdParamsSchema = z.object({ store_id: uuidSchema });

export const storeCreationSchema = z.object({
  name: storableText(z.string().trim().min(1).max(50)),
  description: storableText(z.string().max(255)),
  logo_url: storableText(z.string().max(255)),
  store_type: storeTypeSchema,
});
export type StoreCreation = z.infer<typeof storeCreationSchema>;

/** Wire shapes shared with the base service (packages/common), re-exported under this feature's names. */
export const storeResponseSchema = storeSchema;
export const storeItemResponseSchema = storeItemSchema;
export type StoreResponse = z.infer<typeof storeResponseSchema>;
export type StoreItemResponse = z.infer<typeof storeItemResponseSchema>;

const MAX_LISTED_STORES = 50;
const idListSchema = z.array(uuidSchema).max(MAX_LISTED_STORES);

/** `{"ids": [...]}`; an empty list answers `[]` (the reference's 422 made the base service fail with 500). */
export const storeListRequestSchema = z.object({ ids: idListSchema });

/** `GET /admin/ids/stores?ids=a&ids=b` (or `?ids=a,b`): the query alternative to the legacy JSON body. */
export const storeListQuerySchema = z.object({
  ids: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) =>
      v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(",")).filter(Boolean),
    )
    .pipe(idListSchema.optional()),
});

export const storeListResponseSchema = z.array(storeResponseSchema);
export const storePageQuerySchema = pageQuerySchema;
