import { randomUUID } from "node:crypto";
import {
  paginate,
  type AdminAction,
  type AdminActionJournal,
  type AdminActionOutcome,
  type Page,
} from "@rail/common";
import type { AuditRecord, AuditRepository, AuditRow, AuditSource } from "./audit.repository.js";
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

const redacted = <T extends { request: unknown; before: unknown }>(r: T): T => ({
  ...r,
  request: redact(r.request),
  before: redact(r.before),
});

/**
 * Writes (secrets redacted) and lists the admin audit log. It is the base service's journal for the kit's admin
 * hook (auditAdminMutations): an intent row before the action runs, the entry and the intent's removal in one
 * transaction when it answered, and `recoverInterrupted` for intents a stopped process left behind.
 */
export class AuditService implements AdminActionJournal {
  constructor(private readonly entries: AuditRepository) {}

  /** An entry written in one go (another service's delivered report); a known source key is written once. */
  record(entry: AuditRecord, source?: AuditSource): Promise<void> {
    return this.entries.insert({ ...redacted(entry), after: redact(entry.after) }, source);
  }

  async begin(action: AdminAction): Promise<string> {
    const id = randomUUID();
    await this.entries.insertIntent(id, redacted(action));
    return id;
  }

  complete(id: string, action: AdminAction, outcome: AdminActionOutcome): Promise<void> {
    return this.entries.completeIntent(id, {
      ...redacted(action),
      entityId: outcome.entityId,
      status: outcome.status,
      after: redact(outcome.after),
    });
  }

  discard(id: string): Promise<void> {
    return this.entries.deleteIntent(id);
  }

  /** Turns intents older than `olderThanMs` (their request can no longer be running) into entries of status 0. */
  async recoverInterrupted(olderThanMs: number, batch = 100): Promise<number> {
    const before = new Date(Date.now() - olderThanMs);
    let recovered = 0;
    for (;;) {
      const n = await this.entries.recoverIntents(before, batch);
      recovered += n;
      if (n < batch) return recovered;
    }
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
