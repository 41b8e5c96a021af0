import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";
import { dateTimeSchema, positiveIntSchema } from "../shared/schemas.js";

export const runSchema = z.object({
  id: z.string(),
  train_number: z.number().int(),
  /** Departure from the origin, ISO 8601 with the origin's offset. */
  departure: z.string(),
  /** Arrival at the last stop, with its offset (null for a train without a route). */
  arrival: z.string().nullable(),
  origin: z.string().nullable(),
  terminus: z.string().nullable(),
});
export type RunDto = z.infer<typeof runSchema>;

export const runCreationSchema = z
  .object({
    train_number: positiveIntSchema,
    /** One departure from the origin (ISO 8601; without an offset it is UTC)... */
    departure: dateTimeSchema.optional(),
    /** ...or several at once (a timetable season). */
    departures: z.array(dateTimeSchema).min(1).max(1000).optional(),
  })
  .refine((b) => (b.departure === undefined) !== (b.departures === undefined), {
    message: "Give either departure or departures",
  });
export type RunCreation = z.infer<typeof runCreationSchema>;

export const runListQuerySchema = pageQuerySchema.extend({
  train_number: positiveIntSchema.optional(),
  /** Runs departing at or after this instant. */
  from: dateTimeSchema.optional(),
  /** Runs departing before this instant. */
  to: dateTimeSchema.optional(),
});
export type RunListQuery = z.infer<typeof runListQuerySchema>;

export const runParamsSchema = z.object({ run_id: uuidSchema });
