import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import type { ServiceClient } from "@rail/common";
import { type AdminAction, type AdminActionJournal, type AdminActionOutcome } from "@rail/common";
import type { Config } from "../config.js";
import type { Db } from "../db.js";
import { AuditOutboxRepository } from "./audit.outbox.repository.js";
import { baseServiceClient } from "../shared/base-client.js";

/** The body of the base service's `POST /internal/audit` (base: src/audit/audit.schemas.ts). */
export interface AuditReport {
  service: "store";
  actor_kind: "engineer" | "service";
  actor_id: string | null;
  action: string;
  method: string;
  entity: string;
  entity_id: string | null;
  /** 0 while unknown: the action began and its process stopped before it answered. */
  status: number;
  request_id: string | null;
  request: unknown;
  before: unknown;
  after: unknown;
  /** The outbox row's id: the base service writes a repeated delivery once. */
  source_id: string;
  /** When the action happened (delivery may come much later). */
  at: string;
}

export interface AuditSink {
  report(entry: AuditReport): Promise<void>;
}

/** Sends reports to the base service, which owns the audit log (one log for the whole railway). */
export class BaseAuditSink implements AuditSink {
  constructor(private readonly base: ServiceClient) {}

  async report(entry: AuditReport): Promise<void> {
    const res = await this.base.request({
      method: "POST",
      path: "/internal/audit",
      body: entry,
      response: z.unknown(),
    });
    if (!res.ok) throw new Error(`base answered ${res.status}`);
  }
}

export interface AuditOutboxOptions {
  /** How often due reports are looked for (a completed action also triggers a delivery at once). */
  intervalMs: number;
  /** Retry delay after a failed delivery: doubles from `first` up to `max`. */
  retryMs: { first: number; max: number };
  /** A report begun this long ago and never completed belongs to a stopped process: sent with status 0. */
  staleAfterMs: number;
  batch: number;
}

/**
 * The store's journal for the kit's admin hook, and its delivery to the base service. An admin action is written
 * to the store's own database before it runs and completed (with before, after and status) before the answer,
 * so nothing is lost when the base service is down: rows are delivered in the background with retries, and
 * removed once the base service has written them.
 */
export class AuditOutbox implements AdminActionJournal {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly rows: AuditOutboxRepository,
    private readonly sink: AuditSink,
    private readonly logger: Logger,
    private readonly options: AuditOutboxOptions,
  ) {}

  async begin(action: AdminAction): Promise<string> {
    const id = randomUUID();
    await this.rows.insert(
      id,
      toReport(id, new Date(), action, { status: 0, entityId: action.entityId, after: null }),
    );
    return id;
  }

  async complete(id: string, action: AdminAction, outcome: AdminActionOutcome): Promise<void> {
    await this.rows.complete(id, toReport(id, new Date(), action, outcome));
    this.kick();
  }

  discard(id: string): Promise<void> {
    return this.rows.remove(id);
  }

  /** Delivers every report due now; returns how many the base service accepted. */
  async deliverDue(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const due = await this.rows.claim(
        this.options.batch,
        new Date(Date.now() - this.options.staleAfterMs),
        this.options.retryMs,
      );
      for (const row of due) {
        // A row that never completed keeps the status 0 and after null it was begun with.
        const report = { ...(row.report as unknown as AuditReport), at: row.createdAt.toISOString() };
        try {
          await this.sink.report(report);
          await this.rows.remove(row.id);
          delivered++;
        } catch (err) {
          const message = (err as Error).message;
          this.logger.warn(
            { err: message, auditId: row.id, action: report.action },
            "audit report not delivered yet",
          );
          await this.rows.failed(row.id, message);
        }
      }
      if (due.length < this.options.batch) return delivered;
    }
  }

  /** Runs a delivery round now (or right after the running one). */
  kick(): void {
    if (this.stopped) return;
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.deliverDue()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.warn({ err }, "audit delivery round failed; retrying"))
      .finally(() => {
        this.round = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => this.kick(), this.options.intervalMs).unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }
}

function toReport(id: string, at: Date, action: AdminAction, outcome: AdminActionOutcome): AuditReport {
  return {
    service: "store",
    actor_kind: action.actorKind,
    actor_id: action.actorId,
    action: action.action,
    method: action.method,
    entity: action.entity,
    entity_id: outcome.entityId,
    status: outcome.status,
    request_id: action.requestId,
    request: action.request,
    before: action.before,
    after: outcome.after,
    source_id: id,
    at: at.toISOString(),
  };
}

/** The outbox that reports to the base service, when AUDIT_TO_BASE is on (main.ts and tests start and stop it). */
export function createAuditOutbox(deps: { config: Config; db: Db; logger: Logger }): AuditOutbox | undefined {
  const { config } = deps;
  if (!config.AUDIT_TO_BASE) return undefined;
  return new AuditOutbox(
    new AuditOutboxRepository(deps.db),
    new BaseAuditSink(
      baseServiceClient({ baseApiUrl: config.BASE_API_URL, serviceToken: config.INTERNAL_SERVICE_TOKEN }),
    ),
    deps.logger,
    {
      intervalMs: config.AUDIT_DELIVERY_INTERVAL_SECONDS * 1000,
      retryMs: { first: 500, max: config.AUDIT_RETRY_MAX_SECONDS * 1000 },
      staleAfterMs: config.AUDIT_STALE_AFTER_SECONDS * 1000,
      batch: 100,
    },
  );
}
