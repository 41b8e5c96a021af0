import { z } from "zod";
import { pageQuerySchema, storeItemSchema, uuidSchema } from "@rail/common";

export const recommendationParamsSchema = z.object({ store_id: uuidSchema, user_id: uuidSchema });
export const recommendationQuerySchema = pageQuerySchema;
export const recommendedItemSchema = storeItemSchema;
