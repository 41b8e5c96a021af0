import { z } from "zod";
import { pageQuerySchema, uuidSchema } from "@rail/common";
import { dateTimeSchema } from "../shared/schemas.js";

export const auditQuerySchema = pageQuerySchema.extend({
  /** An engineer's login or id, or "service" for the internal service token. */
  actor: z.string().trim().min(1).max(100).optional(),
  /** e.g. "station", "train", "engineer", "robot" (the first part of the admin path, singular). */
  entity: z.string().trim().min(1).max(60).optional(),
  /** Part of the action, e.g. "DELETE" or "/admin/trains". */
  action: z.string().trim().min(1).max(200).optional(),
  from: dateTimeSchema.optional(),
  to: dateTimeSchema.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor_kind: z.enum(["engineer", "service"]),
  actor_id: z.string().nullable(),
  actor_login: z.string().nullable(),
  /** Method and route, e.g. "PUT /admin/trains/:train_number". */
  action: z.string(),
  method: z.string(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  /** The answer's status; 0 when the service stopped before the action answered (outcome unknown). */
  status: z.number().int(),
  request_id: z.string().nullable(),
  /** The request body (secrets redacted). */
  request: z.unknown().nullable(),
  /** The entity as its admin GET route showed it before the change (null when there is no such route). */
  before: z.unknown().nullable(),
  /** After the change: the admin GET route's view, else the answer (null after a delete). */
  after: z.unknown().nullable(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

/** An admin action another service (the store) reports from its outbox after it succeeded (retried until written). */
export const auditReportSchema = z.object({
  /** Reporting service, prefixed to the action: "store: POST /admin/store". */
  service: z.enum(["store"]),
  actor_kind: z.enum(["engineer", "service"]),
  actor_id: uuidSchema.nullable().default(null),
  action: z.string().min(1).max(180),
  method: z.enum(["POST", "PUT", "PATCH", "DELETE"]),
  entity: z.string().min(1).max(60),
  entity_id: z.string().max(200).nullable().default(null),
  /** 0: the action began but its outcome is unknown (the reporting process stopped before it answered). */
  status: z.union([z.literal(0), z.number().int().min(100).max(399)]),
  request_id: z.string().max(128).nullable().default(null),
  request: z.unknown().optional(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  /** The reporter's id of this entry: a repeated delivery with the same id is written once. */
  source_id: z.string().min(1).max(80).optional(),
  /** When the action happened (it may be delivered later); default now. */
  at: dateTimeSchema.optional(),
});
export type AuditReport = z.infer<typeof auditReportSchema>;
