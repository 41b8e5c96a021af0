import { batchedClaim, batchedLookup } from "@rail/common/prisma";
import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

export type TicketRow = Prisma.TicketGetPayload<object>;

export interface TicketListFilter {
  userId?: string;
  runId?: string;
  trainNumber?: number;
}

/** Which tickets a lookup wants; every field narrows the match. */
export interface TicketFilter {
  userId: string;
  stationId?: string;
  trainNumber?: number;
  wagonNumber?: number;
  /** Departure at exactly this instant. */
  date?: Date;
  /** Departure at or after this instant. */
  departsFrom?: Date;
  /** Only tickets nobody has validated yet. */
  unusedOnly?: boolean;
}

// Unused tickets first, then by departure: deterministic answers when several tickets qualify.
const NEXT_FIRST: Prisma.TicketOrderByWithRelationInput[] = [{ used: "asc" }, { date: "asc" }, { id: "asc" }];

const toWhere = (f: TicketFilter): Prisma.TicketWhereInput => ({
  userId: f.userId,
  ...(f.stationId === undefined ? {} : { stationId: f.stationId }),
  ...(f.trainNumber === undefined ? {} : { trainNumber: f.trainNumber }),
  ...(f.wagonNumber === undefined ? {} : { wagonNumber: f.wagonNumber }),
  ...(f.unusedOnly ? { used: false } : {}),
  ...(f.date !== undefined
    ? { date: f.date }
    : f.departsFrom !== undefined
      ? { date: { gte: f.departsFrom } }
      : {}),
});

// Every column of TicketRow, named as Prisma names them (a prepared statement must not use `SELECT *`).
const TICKET_COLUMNS = `id, user_id AS "userId", run_id AS "runId", train_number AS "trainNumber",
  wagon_number AS "wagonNumber", place_number AS "placeNumber", station_id AS "stationId",
  destination_id AS "destinationId", date, start_date AS "startDate", code, used, used_at AS "usedAt",
  created_at AS "createdAt"`;

/** Tickets in Postgres: the only place the tickets feature touches Prisma. */
export class TicketsRepository {
  // The robot's QR check runs this for every passenger: a prepared statement on the pool, not Prisma (src/db.ts).
  private readonly byCode;
  private readonly markUsedById;

  constructor(private readonly db: Db) {
    this.byCode = batchedLookup<TicketRow, string>(
      db.$pg,
      "tickets_by_codes",
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE code = ANY($1::text[])`,
      "code",
    );
    // Boarding: the tickets of one turn marked by one statement, their rows locked in id order (no deadlock
    // between two batches); `used = false` is checked again once a row's lock is held.
    this.markUsedById = batchedClaim<string>(
      db.$pg,
      "tickets_mark_used_batch",
      `UPDATE tickets t SET used = true, used_at = now()
       FROM (SELECT id FROM tickets WHERE id = ANY($1::uuid[]) AND used = false ORDER BY id FOR UPDATE) s
       WHERE t.id = s.id RETURNING t.id`,
      "id",
      (id) => id.toLowerCase(),
    );
  }

  async findByCode(code: string): Promise<TicketRow | null> {
    return this.byCode(code);
  }

  findById(id: string): Promise<TicketRow | null> {
    return this.db.ticket.findUnique({ where: { id } });
  }

  /** All tickets, or one user's. */
  count(userId?: string): Promise<number> {
    return this.db.ticket.count({ where: userId === undefined ? {} : { userId } });
  }

  /** All tickets, or one user's, latest departure first. */
  list(userId: string | undefined, window: { skip: number; take: number }): Promise<TicketRow[]> {
    return this.db.ticket.findMany({
      where: userId === undefined ? {} : { userId },
      orderBy: [{ date: "desc" }, { id: "asc" }],
      ...window,
    });
  }

  /** The admin list's filters (every one optional). */
  countWhere(filter: TicketListFilter): Promise<number> {
    return this.db.ticket.count({ where: filter });
  }

  /** Latest departure first. */
  listWhere(filter: TicketListFilter, window: { skip: number; take: number }): Promise<TicketRow[]> {
    return this.db.ticket.findMany({ where: filter, orderBy: [{ date: "desc" }, { id: "asc" }], ...window });
  }

  /** Idempotent. */
  async delete(id: string): Promise<void> {
    await this.db.ticket.deleteMany({ where: { id } });
  }

  /** The first ticket (unused first, earliest departure) matching the filter. */
  findNext(filter: TicketFilter): Promise<TicketRow | null> {
    return this.db.ticket.findFirst({ where: toWhere(filter), orderBy: NEXT_FIRST });
  }

  /** The manifest: distinct users holding a ticket (used or not) departing this station on this train at `date`. */
  async holders(run: { trainNumber: number; stationId: string; date: Date }): Promise<string[]> {
    const rows = await this.db.ticket.findMany({
      where: { trainNumber: run.trainNumber, stationId: run.stationId, date: run.date },
      distinct: ["userId"],
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  /** Distinct users holding a ticket on a train run (its departure from the origin = tickets' start_date). */
  async passengersOnRun(trainNumber: number, trainDate: Date): Promise<string[]> {
    const rows = await this.db.ticket.findMany({
      where: { trainNumber, startDate: trainDate },
      distinct: ["userId"],
      select: { userId: true },
    });
    return rows.map((r) => r.userId);
  }

  /**
   * Marks the ticket used if nobody did yet. A single guarded UPDATE: of concurrent callers exactly one sees true.
   */
  markUsed(id: string): Promise<boolean> {
    return this.markUsedById(id);
  }

  /** The latest boarded ticket of a user on a train run (reference: `used = true` and exact start instant). */
  findBoarded(userId: string, trainNumber: number, startDate: Date): Promise<TicketRow | null> {
    return this.db.ticket.findFirst({
      where: { userId, trainNumber, startDate, used: true },
      orderBy: [{ usedAt: "desc" }, { id: "asc" }],
    });
  }
}
