import type { AdminAction } from "@rail/common";
import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

/** One entry: the admin action (the kit's shape) with its answer's status (0: unknown) and the entity after. */
export interface AuditRecord extends AdminAction {
  status: number;
  after: unknown;
}

/** Where an entry came from when another service delivered it, and when the action happened there. */
export interface AuditSource {
  /** e.g. "store:<outbox id>": a repeated delivery of the same key is written once. */
  key: string;
  at: Date;
}

export interface AuditFilter {
  actor?: string;
  entity?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

export type AuditRow = Prisma.AuditEntryGetPayload<object>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const json = (value: unknown) =>
  value === undefined || value === null ? undefined : (value as Prisma.InputJsonValue);

/**
 * The audit log: insert and read only (the table's trigger refuses updates and deletes anyway), and the intents of
 * admin actions that are running (audit_intents), each turned into its entry once the action has answered.
 */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** The login is copied at write time, so the entry still names the engineer after they are deleted. */
  private async entryData(r: AuditRecord): Promise<Prisma.AuditEntryCreateManyInput> {
    const login = r.actorId
      ? ((await this.db.engineer.findUnique({ where: { id: r.actorId }, select: { login: true } }))?.login ??
        null)
      : null;
    return {
      actorKind: r.actorKind,
      actorId: r.actorId,
      actorLogin: login,
      action: r.action.slice(0, 200),
      method: r.method,
      entity: r.entity.slice(0, 60),
      entityId: r.entityId?.slice(0, 200) ?? null,
      status: r.status,
      requestId: r.requestId,
      request: json(r.request),
      before: json(r.before),
      after: json(r.after),
    };
  }

  /** One entry; with a source, written at most once per source key (ON CONFLICT DO NOTHING, no update). */
  async insert(r: AuditRecord, source?: AuditSource): Promise<void> {
    const data = await this.entryData(r);
    if (!source) {
      await this.db.auditEntry.create({ data });
      return;
    }
    await this.db.auditEntry.createMany({
      data: [{ ...data, sourceKey: source.key, at: source.at }],
      skipDuplicates: true,
    });
  }

  /** An admin action about to run (durable before it runs). */
  async insertIntent(id: string, record: Omit<AuditRecord, "status" | "after">): Promise<void> {
    await this.db.auditIntent.create({ data: { id, record: record as Prisma.InputJsonValue } });
  }

  /** The action answered: its entry is written and its intent removed in one transaction. */
  async completeIntent(id: string, r: AuditRecord): Promise<void> {
    const data = await this.entryData(r);
    await this.db.$transaction([
      this.db.auditEntry.create({ data }),
      this.db.auditIntent.deleteMany({ where: { id } }),
    ]);
  }

  /** The action was refused or failed: it changed nothing, so nothing is logged. */
  async deleteIntent(id: string): Promise<void> {
    await this.db.auditIntent.deleteMany({ where: { id } });
  }

  /**
   * Intents older than `before` belong to requests that never answered (the process stopped): each becomes an
   * entry with status 0 (outcome unknown) in the same transaction that removes it. SKIP LOCKED lets every
   * replica run this at once without writing an entry twice.
   */
  async recoverIntents(before: Date, limit: number): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const stale = await tx.$queryRaw<
        { id: string; at: Date; record: Omit<AuditRecord, "status" | "after"> }[]
      >`
        SELECT id::text AS id, at, record FROM audit_intents WHERE at < ${before}
        ORDER BY at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      for (const intent of stale) {
        const data = await this.entryData({ ...intent.record, status: 0, after: null });
        await tx.auditEntry.create({ data: { ...data, at: intent.at } });
      }
      await tx.auditIntent.deleteMany({ where: { id: { in: stale.map((i) => i.id) } } });
      return stale.length;
    });
  }

  private where(f: AuditFilter): Prisma.AuditEntryWhereInput {
    const and: Prisma.AuditEntryWhereInput[] = [];
    if (f.actor) {
      if (f.actor === "service") and.push({ actorKind: "service" });
      else if (UUID.test(f.actor)) and.push({ actorId: f.actor.toLowerCase() });
      else and.push({ actorLogin: f.actor });
    }
    if (f.entity) and.push({ entity: f.entity });
    if (f.action) and.push({ action: { contains: f.action, mode: "insensitive" } });
    if (f.from) and.push({ at: { gte: f.from } });
    if (f.to) and.push({ at: { lt: f.to } });
    return { AND: and };
  }

  count(f: AuditFilter): Promise<number> {
    return this.db.auditEntry.count({ where: this.where(f) });
  }

  list(f: AuditFilter, window: { skip: number; take: number }): Promise<AuditRow[]> {
    return this.db.auditEntry.findMany({
      where: this.where(f),
      orderBy: [{ at: "desc" }, { id: "desc" }],
      ...window,
    });
  }
}
