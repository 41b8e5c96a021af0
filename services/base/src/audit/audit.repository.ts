import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

export interface AuditRecord {
  actorKind: "engineer" | "service";
  actorId: string | null;
  action: string;
  method: string;
  entity: string;
  entityId: string | null;
  status: number;
  requestId: string | null;
  request: unknown;
  before: unknown;
  after: unknown;
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

/** The audit log: insert and read only (the table's trigger refuses updates and deletes anyway). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(r: AuditRecord): Promise<void> {
    // The login is copied at write time, so the entry still names the engineer after they are deleted.
    const login = r.actorId
      ? ((await this.db.engineer.findUnique({ where: { id: r.actorId }, select: { login: true } }))?.login ??
        null)
      : null;
    await this.db.auditEntry.create({
      data: {
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
      },
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
