import { z } from "zod";
import { laxInt } from "@rail/common";
import { imageSchema } from "../shared/schemas.js";

export const STATIONS = ["MOSCOW", "SPB"] as const;
/** Train layout the web site sells: wagons 1..20, places 1..100 per wagon. */
export const MAX_WAGON = 20;
export const MAX_PLACE = 100;

export const stationSchema = z.enum(STATIONS);

/** Body of `POST /frontend/tickets`, field names as the reference (train_number is accepted but derived). */
export const ticketPurchaseSchema = z.object({
  train_number: laxInt(z.number().int()).optional(),
  wagon_number: laxInt(z.number().int().min(1).max(MAX_WAGON)),
  place_number: laxInt(z.number().int().min(1).max(MAX_PLACE)),
  station_id: stationSchema,
  destination_id: stationSchema,
  // ISO 8601 with Z or an offset; a naive value counts as UTC (the reference ran its containers in UTC).
  date: z.iso
    .datetime({ offset: true, local: true })
    .transform((s) => new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? s : `${s}Z`)),
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
