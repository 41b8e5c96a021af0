import { z } from "zod";
import { dateTimeSchema, positiveIntSchema } from "../shared/schemas.js";
import { stationIdSchema, stationSchema } from "../stations/stations.schemas.js";
import { wagonClassSchema } from "../trains/trains.schemas.js";

export const runSearchQuerySchema = z.object({
  from: stationIdSchema,
  to: stationIdSchema,
  /** Local calendar date at `from`. */
  date: z.iso.date(),
});
export type RunSearchQuery = z.infer<typeof runSearchQuerySchema>;

export const classSeatsSchema = z.object({
  class: wagonClassSchema,
  free_seats: z.number().int(),
  total_seats: z.number().int(),
});

export const runOfferSchema = z.object({
  run_id: z.string(),
  train_number: z.number().int(),
  from: stationSchema,
  to: stationSchema,
  /** Departure from `from`, ISO 8601 with `from`'s offset. */
  departure: z.string(),
  /** Arrival at `to`, ISO 8601 with `to`'s offset. */
  arrival: z.string(),
  duration_minutes: z.number().int(),
  classes: z.array(classSeatsSchema),
});
export type RunOfferDto = z.infer<typeof runOfferSchema>;

export const runStopSchema = z.object({
  station: stationSchema,
  /** null at the origin. */
  arrival: z.string().nullable(),
  /** null at the last stop. */
  departure: z.string().nullable(),
});

export const wagonSeatsSchema = z.object({
  number: z.number().int(),
  class: wagonClassSchema,
  seats: z.number().int(),
  free_seats: z.number().int(),
});

export const runDetailSchema = z.object({
  run_id: z.string(),
  train_number: z.number().int(),
  /** Departure from the origin, with the origin's offset. */
  departure: z.string(),
  stops: z.array(runStopSchema),
  wagons: z.array(wagonSeatsSchema),
});
export type RunDetailDto = z.infer<typeof runDetailSchema>;

export const seatStatusSchema = z.enum(["free", "held", "taken"]);
export type SeatStatus = z.infer<typeof seatStatusSchema>;

export const seatMapSchema = z.object({
  run_id: z.string(),
  train_number: z.number().int(),
  wagons: z.array(
    z.object({
      number: z.number().int(),
      class: wagonClassSchema,
      seats: z.number().int(),
      places: z.array(z.object({ number: z.number().int(), status: seatStatusSchema })),
    }),
  ),
});
export type SeatMapDto = z.infer<typeof seatMapSchema>;

/** The shape the field robot reads: `items` is the list of store ids it then asks the store service about. */
export const runStoresSchema = z.object({
  items: z.array(z.string()),
  run_id: z.string(),
  train_number: z.number().int(),
  /** The run's departure from its origin (ISO 8601 UTC), as `train_date` elsewhere. */
  train_date: z.string(),
});
export type RunStoresDto = z.infer<typeof runStoresSchema>;

export const trainNumberParamsSchema = z.object({ train_number: positiveIntSchema });
/** Without `train_date` the train's current run. */
export const trainDateQuerySchema = z.object({ train_date: dateTimeSchema.optional() });
