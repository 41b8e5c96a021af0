import { z } from "zod";
import { uuidSchema } from "@rail/common";
import { dateTimeSchema, placeIdSchema, positiveIntSchema } from "../shared/schemas.js";

export const ticketKeySchema = z.object({
  kid: z.string(),
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  alg: z.literal("EdDSA"),
  use: z.literal("sig"),
  x: z.string().meta({ description: "Raw 32-byte Ed25519 public key, base64url" }),
  status: z.enum(["current", "retired"]),
  valid_from: z.string(),
  retired_at: z.string().nullable().meta({ description: "Codes issued after this instant are refused" }),
  codes_valid_until: z.string().nullable().meta({
    description: "Latest expiry of a code signed with this key (retired keys are listed until then)",
  }),
});
export const ticketKeySetSchema = z.object({ keys: z.array(ticketKeySchema) });

export const signedCodeSchema = z.object({
  ticket_id: z.string(),
  signed_code: z.string().meta({ description: "QR text: RT1: + base45(CBOR [body, Ed25519 signature])" }),
  kid: z.string(),
  valid_from: z.string(),
  valid_until: z.string(),
});
export type SignedCodeDto = z.infer<typeof signedCodeSchema>;

export const rotationSchema = z.object({ kid: z.string(), retired_kid: z.string().nullable() });

/** A run: by id (as `GET /robot/train/{n}/stores` names it), or by train number and start (origin departure). */
export const runQuerySchema = z
  .object({
    run_id: uuidSchema.optional(),
    train_number: positiveIntSchema.optional(),
    start_date: dateTimeSchema.optional(),
  })
  .refine((q) => q.run_id !== undefined || (q.train_number !== undefined && q.start_date !== undefined), {
    message: "Name the run: run_id, or train_number and start_date",
  });

export const offlinePackSchema = z.object({
  run_id: z.string(),
  train_number: z.number().int(),
  start_date: z.string(),
  generated_at: z.string(),
  keys: z.array(ticketKeySchema),
  denied_ticket_ids: z
    .array(z.string())
    .meta({ description: "Tickets of this run refunded or cancelled: their codes must be refused" }),
  used_ticket_ids: z.array(z.string()).meta({ description: "Tickets of this run already used (boarded)" }),
});
export type OfflinePackDto = z.infer<typeof offlinePackSchema>;

export const ticketUseUploadSchema = z.object({
  use_id: uuidSchema.meta({
    description: "Chosen by the robot; uploading the same use again changes nothing",
  }),
  code: z.string().min(1).max(1024),
  station_id: placeIdSchema,
  wagon_number: positiveIntSchema,
  used_at: dateTimeSchema,
});
export type TicketUseUpload = z.infer<typeof ticketUseUploadSchema>;

export const ticketUsesBodySchema = z.object({ uses: z.array(ticketUseUploadSchema).min(1).max(500) });

export const ticketUseResultSchema = z.object({
  use_id: z.string(),
  ticket_id: z.string().nullable(),
  status: z.enum(["recorded", "conflict", "unknown_ticket", "invalid_code"]).meta({
    description:
      "recorded: this use boarded the passenger; conflict: the ticket had been used already (reported to " +
      "engineers); unknown_ticket: the ticket no longer exists; invalid_code: no known key signed it (not stored)",
  }),
  duplicate: z.boolean().meta({ description: "This use id had been uploaded before (its stored outcome)" }),
});
export type TicketUseResultDto = z.infer<typeof ticketUseResultSchema>;
export const ticketUsesResponseSchema = z.object({ results: z.array(ticketUseResultSchema) });

export const ticketUseConflictSchema = z.object({
  use_id: z.string(),
  ticket_id: z.string(),
  robot_id: z.string(),
  train_number: z.number().int(),
  run_start: z.string(),
  station_id: z.string(),
  wagon_number: z.number().int(),
  used_at: z.string(),
  first_used_at: z.string().nullable(),
  received_at: z.string(),
});
export type TicketUseConflictDto = z.infer<typeof ticketUseConflictSchema>;

export const ticketIdParamsSchema = z.object({ ticket_id: uuidSchema });
