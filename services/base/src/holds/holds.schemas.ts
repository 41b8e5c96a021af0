import { z } from "zod";
import { uuidSchema } from "@rail/common";
import { positiveIntSchema } from "../shared/schemas.js";
import { stationIdSchema } from "../stations/stations.schemas.js";

/** A seat of a run, wanted from one station to a later one. */
export const seatRequestSchema = z.object({
  run_id: uuidSchema,
  wagon_number: positiveIntSchema,
  place_number: positiveIntSchema,
  station_id: stationIdSchema,
  destination_id: stationIdSchema,
});
export type SeatRequest = z.infer<typeof seatRequestSchema>;

export const holdSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  train_number: z.number().int(),
  wagon_number: z.number().int(),
  place_number: z.number().int(),
  station_id: z.string(),
  destination_id: z.string(),
  /** ISO 8601 UTC. */
  expires_at: z.string(),
});
export type HoldDto = z.infer<typeof holdSchema>;

export const holdParamsSchema = z.object({ hold_id: uuidSchema });
