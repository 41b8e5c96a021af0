import { z } from "zod";
import { positiveIntSchema } from "../shared/schemas.js";
import { stationIdSchema } from "../stations/stations.schemas.js";

export const WAGON_CLASSES = ["economy", "comfort", "business", "first"] as const;
export const wagonClassSchema = z.enum(WAGON_CLASSES);
export type WagonClass = z.infer<typeof wagonClassSchema>;

/** Two weeks: longer than any train ride. */
const MAX_MINUTES = 14 * 24 * 60;
const minutesSchema = z.number().int().min(0).max(MAX_MINUTES);

export const stopInputSchema = z.object({
  station_id: stationIdSchema,
  /** Minutes after the departure from the origin; ignored for the origin. */
  arrival_minutes: minutesSchema.optional(),
  /** Minutes after the departure from the origin; 0 (or left out) for the origin, ignored for the last stop. */
  departure_minutes: minutesSchema.optional(),
});

export const wagonInputSchema = z.object({
  number: z.number().int().min(1).max(999),
  class: wagonClassSchema,
  seats: z.number().int().min(1).max(200),
});

export const trainUpdateSchema = z.object({
  name: z.string().trim().max(120).default(""),
  stops: z.array(stopInputSchema).min(2).max(100),
  wagons: z.array(wagonInputSchema).min(1).max(100),
});
export type TrainUpdate = z.infer<typeof trainUpdateSchema>;

export const trainCreationSchema = trainUpdateSchema.extend({ number: positiveIntSchema });
export type TrainCreation = z.infer<typeof trainCreationSchema>;

export const stopSchema = z.object({
  position: z.number().int(),
  station_id: z.string(),
  /** null at the origin. */
  arrival_minutes: z.number().int().nullable(),
  /** null at the last stop. */
  departure_minutes: z.number().int().nullable(),
});
export const wagonSchema = z.object({
  number: z.number().int(),
  class: wagonClassSchema,
  seats: z.number().int(),
});

export const trainSchema = z.object({
  number: z.number().int(),
  name: z.string(),
  stops: z.array(stopSchema),
  wagons: z.array(wagonSchema),
});
export type TrainDto = z.infer<typeof trainSchema>;

export const trainParamsSchema = z.object({ train_number: positiveIntSchema });
