import { paginate, type Page } from "@rail/common";
import type { AuditRecord, AuditRepository, AuditRow } from "./audit.repository.js";
import type { AuditEntryDto, AuditQuery } from "./audit.schemas.js";

export const REDACTED = "[redacted]";
const MAX_LOGGED_STRING = 2000;

/**
 * Field names whose values never reach the log: passwords and their hashes, keys (RFID card keys, RSA and
 * signing keys), tokens, secrets and ticket codes (a code is enough to board).
 */
const SECRET_FIELD = /(password|passwd|hash|secret|token|(^|_)key$|^key|private|(^|_)code$)/i;

/** A deep copy with every secret field's value replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_FIELD.test(k) && v !== null && v !== "" ? REDACTED : redact(v, depth + 1),
      ]),
    );
  }
  // Face photos arrive base64-encoded (megabytes): the log keeps that there was one, not the photo.
  if (typeof value === "string" && value.length > MAX_LOGGED_STRING)
    return `[${value.length} characters omitted]`;
  return value;
}

const toDto = (r: AuditRow): AuditEntryDto => ({
  id: r.id.toString(),
  at: r.at.toISOString(),
  actor_kind: r.actorKind === "service" ? "service" : "engineer",
  actor_id: r.actorId,
  actor_login: r.actorLogin,
  action: r.action,
  method: r.method,
  entity: r.entity,
  entity_id: r.entityId,
  status: r.status,
  request_id: r.requestId,
  request: r.request ?? null,
  before: r.before ?? null,
  after: r.after ?? null,
});

/** Writes (secrets redacted) and lists the admin audit log. */
export class AuditService {
  constructor(private readonly entries: AuditRepository) {}

  record(entry: AuditRecord): Promise<void> {
    return this.entries.insert({
      ...entry,
      request: redact(entry.request),
      before: redact(entry.before),
      after: redact(entry.after),
    });
  }

  list(query: AuditQuery): Promise<Page<AuditEntryDto>> {
    const filter = {
      actor: query.actor,
      entity: query.entity,
      action: query.action,
      from: query.from,
      to: query.to,
    };
    return paginate(
      query,
      () => this.entries.count(filter),
      (w) => this.entries.list(filter, w),
      toDto,
    );
  }
}
