import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

export interface ClaimedReport {
  id: string;
  createdAt: Date;
  report: Record<string, unknown>;
  completed: boolean;
}

/** The store's audit outbox (table audit_outbox): admin actions waiting to reach the base service's audit log. */
export class AuditOutboxRepository {
  constructor(private readonly db: Db) {}

  async insert(id: string, report: object): Promise<void> {
    await this.db.auditOutboxEntry.create({ data: { id, report: report as Prisma.InputJsonValue } });
  }

  /** The action answered: the report is final and due for delivery now. */
  async complete(id: string, report: object): Promise<void> {
    await this.db.auditOutboxEntry.update({
      where: { id },
      data: { report: report as Prisma.InputJsonValue, completed: true, nextAttemptAt: new Date() },
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.auditOutboxEntry.deleteMany({ where: { id } });
  }

  /**
   * Takes up to `limit` reports due for delivery: completed ones, and ones begun before `staleBefore` that never
   * completed (their process stopped). Each is pushed back by its retry delay before it is sent, so a replica
   * that dies mid-delivery leaves it to be retried, and SKIP LOCKED keeps replicas from sending the same one at
   * the same moment (the base service writes a repeated delivery once anyway).
   */
  claim(limit: number, staleBefore: Date, retryMs: { first: number; max: number }): Promise<ClaimedReport[]> {
    return this.db.$queryRaw<ClaimedReport[]>`
      UPDATE audit_outbox SET attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => LEAST(${retryMs.max}::float8,
          ${retryMs.first}::float8 * power(2, LEAST(attempts, 20))) / 1000)
      WHERE id IN (
        SELECT id FROM audit_outbox
        WHERE next_attempt_at <= now() AND (completed OR created_at < ${staleBefore})
        ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id, created_at AS "createdAt", report, completed`;
  }

  async failed(id: string, error: string): Promise<void> {
    await this.db.auditOutboxEntry.updateMany({ where: { id }, data: { lastError: error.slice(0, 500) } });
  }

  pending(): Promise<number> {
    return this.db.auditOutboxEntry.count();
  }
}
