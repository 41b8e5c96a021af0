import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";
import { dateTimeSchema, imageSchema, placeIdSchema, positiveIntSchema } from "../shared/schemas.js";

/** Wire `Ticket` of the reference (DB `destination_id` is exposed as `destination`; `used` is never exposed). */
export const ticketSchema = z.object({
  user_id: z.string(),
  train_number: z.number().int(),
  wagon_number: z.number().int(),
  place_number: z.number().int(),
  station_id: z.string(),
  destination: z.string(),
  date: z.string(),
  start_date: z.string(),
  id: z.string(),
  code: z.string(),
});
export type TicketDto = z.infer<typeof ticketSchema>;

/** Admin list view: ticket codes are secrets, so they are left out. */
export const ticketSummarySchema = ticketSchema.omit({ code: true }).extend({ run_id: z.string() });

/** The engineer console's filters: one passenger's tickets, one run's, one train's (any may be combined). */
export const adminTicketsQuerySchema = pageQuerySchema.extend({
  user_id: uuidSchema.optional(),
  run_id: uuidSchema.optional(),
  train_number: positiveIntSchema.optional(),
});
export type AdminTicketsQuery = z.infer<typeof adminTicketsQuerySchema>;
export type TicketSummaryDto = z.infer<typeof ticketSummarySchema>;

/** What a ticket purchase needs besides the user (shared by the admin API and the passenger API). */
export interface TicketPurchase {
  /** The run (or train_number with start_date and/or date naming it; see RunsService.locate). */
  run_id?: string;
  train_number?: number;
  wagon_number: number;
  place_number: number;
  station_id: string;
  destination: string;
  /** Departure instant at `station_id`: must be the run's (it is derived from the run). */
  date?: Date;
  /** Departure of the run from its origin: must be the run's (it is derived from the run). */
  start_date?: Date;
}

export const ticketCreationSchema = z
  .object({
    user_id: uuidSchema,
    run_id: uuidSchema.optional(),
    train_number: positiveIntSchema.optional(),
    wagon_number: positiveIntSchema,
    place_number: positiveIntSchema,
    station_id: placeIdSchema,
    destination: placeIdSchema,
    date: dateTimeSchema.optional(),
    start_date: dateTimeSchema.optional(),
  })
  .refine((b) => b.run_id !== undefined || (b.train_number !== undefined && (b.date ?? b.start_date)), {
    message: "Name the run: run_id, or train_number with start_date and/or date",
  });

export const ticketIdParamsSchema = z.object({ ticket_id: uuidSchema });

export const ticketValidationSchema = z.object({
  station_id: placeIdSchema,
  train_number: positiveIntSchema,
  wagon_number: positiveIntSchema,
  date: dateTimeSchema,
  face: imageSchema.nullable().default(null),
  // Any QR payload (up to a sane size): codes that cannot exist are 401 `Invalid ticket code`, as in the reference.
  code: z.string().max(4096).nullable().default(null),
  mark_as_used: z.boolean(),
});
export type TicketValidation = z.infer<typeof ticketValidationSchema>;

export const currentTicketSchema = z.object({
  user_id: uuidSchema,
  train_id: positiveIntSchema,
  start_date: dateTimeSchema,
});

export const stationUserParamsSchema = z.object({ station_id: placeIdSchema, user_id: uuidSchema });

export const determineDestinationSchema = z.object({
  user_id: uuidSchema,
  train_number: positiveIntSchema,
  start_date: dateTimeSchema,
});
export const destinationSchema = z.object({ id: z.string() });
