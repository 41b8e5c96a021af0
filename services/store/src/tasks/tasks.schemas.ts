import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";
import { purchaseResponseSchema, purchaseStatusSchema } from "../purchases/purchases.schemas.js";

/** Query booleans spelled the ways FastAPI (pydantic) accepted them, in any letter case. */
const TRUE_WORDS = ["1", "on", "t", "true", "y", "yes"];
const FALSE_WORDS = ["0", "off", "f", "false", "n", "no"];
const queryBoolean = z
  .string()
  .default("false")
  .transform((v) => v.toLowerCase())
  .pipe(z.enum([...TRUE_WORDS, ...FALSE_WORDS], { message: "Input should be a valid boolean" }))
  .transform((v) => TRUE_WORDS.includes(v));

export const taskIdParamsSchema = z.object({ task_id: uuidSchema });

export const storeTasksQuerySchema = pageQuerySchema.extend({ also_ready_tasks: queryBoolean });

export const readyTasksQuerySchema = pageQuerySchema.extend({
  train_number: z.coerce.number().int().min(1).max(2_147_483_647),
  store_id: uuidSchema.optional(),
});

export const taskResponseSchema = z.object({
  id: z.string(),
  purchase: purchaseResponseSchema,
  store_id: z.string(),
  user_id: z.string(),
  is_ready: z.boolean(),
  /** pending -> ready (store terminal) -> delivered (robot). */
  status: purchaseStatusSchema,
  date: z.string(),
  ready_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  train_number: z.number().int().nullable(),
  additional_data: z.record(z.string(), z.unknown()),
});
export type TaskResponse = z.infer<typeof taskResponseSchema>;

export const robotTaskEventsQuerySchema = z.object({
  train_number: z.coerce.number().int().min(1).max(2_147_483_647),
  store_id: uuidSchema.optional(),
});
