import { isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";
import type { TicketSigningKey, TicketUse } from "../generated/prisma/client.js";

export type SigningKeyRow = TicketSigningKey;
export type TicketUseRow = TicketUse;
export type UseOutcome = "recorded" | "conflict" | "unknown_ticket";

export interface NewSigningKey {
  kid: string;
  publicKey: Uint8Array<ArrayBuffer>;
  privateKeyEnc: Uint8Array<ArrayBuffer>;
}

export interface SignableTicketRow {
  id: string;
  trainNumber: number;
  startDate: Date;
  date: Date;
  stationId: string;
  wagonNumber: number;
  placeNumber: number;
  createdAt: Date;
  passengerName: string;
}

export interface UseRecord {
  useId: string;
  ticketId: string;
  robotId: string;
  trainNumber: number;
  runStart: Date;
  stationId: string;
  wagonNumber: number;
  usedAt: Date;
}

/** What the ticket-signing feature stores: keys, uploaded uses and revocations (and the `used` mark of tickets). */
export class TicketSigningRepository {
  constructor(private readonly db: Db) {}

  findCurrentKey(): Promise<SigningKeyRow | null> {
    return this.db.ticketSigningKey.findUnique({ where: { current: true } });
  }

  findKey(kid: string): Promise<SigningKeyRow | null> {
    return this.db.ticketSigningKey.findUnique({ where: { kid } });
  }

  /** The current key and every retired key whose codes may still be valid, newest first. */
  listPublishedKeys(now: Date): Promise<SigningKeyRow[]> {
    return this.db.ticketSigningKey.findMany({
      where: { OR: [{ current: true }, { codesValidUntil: { gt: now } }] },
      orderBy: [{ createdAt: "desc" }, { kid: "asc" }],
    });
  }

  /** Every key ever used (verification of uploaded uses accepts codes of long-retired keys too). */
  listAllKeys(): Promise<SigningKeyRow[]> {
    return this.db.ticketSigningKey.findMany({ orderBy: { createdAt: "desc" } });
  }

  /** Inserts the first current key; "exists" when another replica just did. */
  async insertCurrentKey(key: NewSigningKey): Promise<SigningKeyRow | "exists"> {
    try {
      return await this.db.ticketSigningKey.create({ data: { ...key, current: true } });
    } catch (err) {
      if (isUniqueViolation(err)) return "exists";
      throw err;
    }
  }

  /**
   * Retires the current key and makes `key` current, atomically. Of two concurrent rotations one hits the unique
   * index on `current` (the retire of the loser matches no row once the winner committed): "conflict".
   */
  async rotate(key: NewSigningKey): Promise<{ created: SigningKeyRow; retired: string | null } | "conflict"> {
    try {
      return await this.rotateInTransaction(key);
    } catch (err) {
      if (isUniqueViolation(err)) return "conflict";
      throw err;
    }
  }

  private rotateInTransaction(
    key: NewSigningKey,
  ): Promise<{ created: SigningKeyRow; retired: string | null }> {
    return this.db.$transaction(async (tx) => {
      // Waits for a concurrent rotation's row lock; once that one committed, this matches nothing.
      const retired = await tx.$queryRaw<{ kid: string }[]>`
        UPDATE ticket_signing_keys SET current = NULL, retired_at = now() WHERE current = true RETURNING kid`;
      const created = await tx.ticketSigningKey.create({ data: { ...key, current: true } });
      return { created, retired: retired[0]?.kid ?? null };
    });
  }

  /** Records that a code valid until `until` was signed with `kid` (only ever moves forward). */
  async extendCodesValidUntil(kid: string, until: Date): Promise<void> {
    await this.db.ticketSigningKey.updateMany({
      where: { kid, OR: [{ codesValidUntil: null }, { codesValidUntil: { lt: until } }] },
      data: { codesValidUntil: until },
    });
  }

  /** Tickets with their passenger's name, as codes are signed from them. */
  async findSignableTickets(ids: string[]): Promise<SignableTicketRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.ticket.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        trainNumber: true,
        startDate: true,
        date: true,
        stationId: true,
        wagonNumber: true,
        placeNumber: true,
        createdAt: true,
        user: { select: { name: true } },
      },
    });
    return rows.map(({ user, ...t }) => ({ ...t, passengerName: user.name }));
  }

  /**
   * Puts a ticket on its run's deny list (before it is deleted); no-op for unknown or already revoked tickets.
   * The entry goes away with its run (foreign key, ON DELETE CASCADE).
   */
  async revokeTicket(ticketId: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO ticket_revocations (ticket_id, run_id, train_number, run_start)
      SELECT id, run_id, train_number, start_date FROM tickets WHERE id = ${ticketId}::uuid
      ON CONFLICT (ticket_id) DO NOTHING`;
  }

  /** A run by id, or by train number and origin departure. */
  findRun(ref: { runId: string } | { trainNumber: number; runStart: Date }) {
    return "runId" in ref
      ? this.db.run.findUnique({
          where: { id: ref.runId },
          select: { id: true, trainNumber: true, departure: true },
        })
      : this.db.run.findUnique({
          where: { trainNumber_departure: { trainNumber: ref.trainNumber, departure: ref.runStart } },
          select: { id: true, trainNumber: true, departure: true },
        });
  }

  async deniedTicketIds(trainNumber: number, runStart: Date): Promise<string[]> {
    const rows = await this.db.ticketRevocation.findMany({
      where: { trainNumber, runStart },
      select: { ticketId: true },
      orderBy: { ticketId: "asc" },
    });
    return rows.map((r) => r.ticketId);
  }

  async usedTicketIds(trainNumber: number, runStart: Date): Promise<string[]> {
    const rows = await this.db.ticket.findMany({
      where: { trainNumber, startDate: runStart, used: true },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    return rows.map((r) => r.id);
  }

  /**
   * Stores one uploaded use and marks its ticket used, in one transaction. Idempotent per use id: a repeated
   * upload returns the stored outcome with `duplicate: true`. The mark is the same guarded UPDATE as online
   * validation, so of two uses of one ticket (two robots, or online and offline) exactly one is `recorded` and
   * the other a `conflict`, whatever the interleaving.
   */
  recordUse(use: UseRecord): Promise<{ row: TicketUseRow; duplicate: boolean }> {
    return this.db.$transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO ticket_uses
          (use_id, ticket_id, robot_id, train_number, run_start, station_id, wagon_number, used_at, outcome)
        VALUES (${use.useId}::uuid, ${use.ticketId}::uuid, ${use.robotId}::uuid, ${use.trainNumber},
                ${use.runStart}, ${use.stationId}, ${use.wagonNumber}, ${use.usedAt}, 'recorded')
        ON CONFLICT (use_id) DO NOTHING`;
      if (inserted === 0) {
        return {
          row: await tx.ticketUse.findUniqueOrThrow({ where: { useId: use.useId } }),
          duplicate: true,
        };
      }
      const marked = await tx.$executeRaw`
        UPDATE tickets SET used = true, used_at = ${use.usedAt} WHERE id = ${use.ticketId}::uuid AND used = false`;
      if (marked === 1) {
        return {
          row: await tx.ticketUse.findUniqueOrThrow({ where: { useId: use.useId } }),
          duplicate: false,
        };
      }
      const ticket = await tx.ticket.findUnique({ where: { id: use.ticketId }, select: { usedAt: true } });
      const outcome: UseOutcome = ticket ? "conflict" : "unknown_ticket";
      const row = await tx.ticketUse.update({
        where: { useId: use.useId },
        data: { outcome, firstUsedAt: ticket?.usedAt ?? null },
      });
      return { row, duplicate: false };
    });
  }

  countUses(where: { outcome?: UseOutcome; ticketId?: string } = {}): Promise<number> {
    return this.db.ticketUse.count({ where });
  }

  listUses(where: { outcome?: UseOutcome }, window: { skip: number; take: number }): Promise<TicketUseRow[]> {
    return this.db.ticketUse.findMany({
      where,
      orderBy: [{ receivedAt: "desc" }, { useId: "asc" }],
      ...window,
    });
  }
}
