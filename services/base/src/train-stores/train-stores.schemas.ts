import { z } from "zod";
import { uuidSchema } from "@rail/common";
import { dateTimeSchema, positiveIntSchema } from "../shared/schemas.js";

/** Reference `TrainData`: a train run is its number and start instant. */
export const trainDataSchema = z.object({ train_number: positiveIntSchema, train_date: dateTimeSchema });
export type TrainData = z.infer<typeof trainDataSchema>;

export const storeIdParamsSchema = z.object({ store_id: uuidSchema });
export const trainNumberParamsSchema = z.object({ train_number: positiveIntSchema });
export const trainDateQuerySchema = z.object({ train_date: dateTimeSchema });
