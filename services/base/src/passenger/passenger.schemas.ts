import { z } from "zod";
import { uuidSchema } from "@rail/common";
import { dateTimeSchema, imageSchema, positiveIntSchema } from "../shared/schemas.js";
import { stationIdSchema } from "../stations/stations.schemas.js";

/**
 * Body of `POST /frontend/tickets`: the run (`run_id`, see GET /timetable/runs), or the old form's departure
 * `date` from `station_id` (ISO 8601; without an offset UTC), which must be exactly a run's departure there.
 */
export const ticketPurchaseSchema = z
  .object({
    run_id: uuidSchema.optional(),
    train_number: positiveIntSchema.optional(),
    wagon_number: positiveIntSchema,
    place_number: positiveIntSchema,
    station_id: stationIdSchema,
    destination_id: stationIdSchema,
    date: dateTimeSchema.optional(),
  })
  .refine((b) => b.run_id !== undefined || b.date !== undefined, {
    message: "Give run_id (or the departure date from station_id)",
  });
export type TicketPurchaseBody = z.infer<typeof ticketPurchaseSchema>;

/** Body of the reference's JSON `POST /frontend/face`: a base64 photo to enrol, or null to delete the face. */
export const legacyFaceSchema = z.object({ face: imageSchema.nullable().default(null) });

/** Purchases as the store service reports them (the passenger's orders). */
export { orderPageSchema, orderSchema } from "../store/store.schemas.js";

export const meSchema = z.object({
  id: z.string(),
  username: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});
