import { PG_ERROR, isPostgresError } from "@rail/common";
import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";

export type TicketRow = Prisma.TicketGetPayload<object>;

/** A seat of a run and the part of the route it is wanted for. */
export interface SeatClaim {
  runId: string;
  wagonNumber: number;
  placeNumber: number;
  userId: string;
  stationId: string;
  destinationId: string;
}

export interface HoldRow extends SeatClaim {
  id: string;
  expiresAt: Date;
}

/** Everything a ticket row needs besides the seat claim (derived from the run by the service). */
export interface TicketFacts {
  trainNumber: number;
  /** Departure from the boarding station. */
  date: Date;
  /** The run's departure from its origin. */
  startDate: Date;
  code: string;
}

/** Why a seat could not be had: sold, or held by another passenger whose hold has not expired. */
export type SeatRefusal = "taken" | "held";
/** The passenger already holds as many other seats as allowed. */
export type HoldRefusal = SeatRefusal | "limit";

const TICKET_COLUMNS = `id, user_id AS "userId", run_id AS "runId", train_number AS "trainNumber",
  wagon_number AS "wagonNumber", place_number AS "placeNumber", station_id AS "stationId",
  destination_id AS "destinationId", date, start_date AS "startDate", code, used, used_at AS "usedAt",
  created_at AS "createdAt"`;

// A constant column list (no caller input): the raw statements below bind every value as a parameter.
const HOLD_COLUMNS = `id, run_id AS "runId", wagon_number AS "wagonNumber", place_number AS "placeNumber",
  user_id AS "userId", station_id AS "stationId", destination_id AS "destinationId", expires_at AS "expiresAt"`;

/**
 * Seat holds and the tickets they turn into. Every decision about who gets a seat is one SQL statement or one
 * transaction here, using the database clock (`now()`), so concurrent callers and replicas agree.
 */
export class HoldsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Holds the seat for `ttlSeconds`: inserts the hold, or takes over the seat's hold row when that hold has
   * expired (an expired hold never blocks anyone, whether or not the expiry job has run) or is the same
   * passenger's (which extends it). One statement: of concurrent callers for a free seat exactly one wins.
   */
  async hold(claim: SeatClaim, ttlSeconds: number, maxPerUser: number): Promise<HoldRow | HoldRefusal> {
    const rows = await this.db.$queryRawUnsafe<HoldRow[]>(
      `INSERT INTO seat_holds (run_id, wagon_number, place_number, user_id, station_id, destination_id, expires_at)
       SELECT $1::uuid, $2, $3, $4::uuid, $5, $6, now() + make_interval(secs => $7)
       WHERE NOT EXISTS (
         SELECT 1 FROM tickets t WHERE t.run_id = $1::uuid AND t.wagon_number = $2 AND t.place_number = $3
       )
       -- A soft cap on hoarding: live holds of this passenger on other seats (concurrent requests of one
       -- passenger may pass it together; seats stay exclusive regardless).
       AND (
         SELECT count(*) FROM seat_holds o
         WHERE o.user_id = $4::uuid AND o.expires_at > now()
           AND NOT (o.run_id = $1::uuid AND o.wagon_number = $2 AND o.place_number = $3)
       ) < $8
       ON CONFLICT (run_id, wagon_number, place_number) DO UPDATE SET
         id = CASE WHEN seat_holds.user_id = EXCLUDED.user_id THEN seat_holds.id ELSE gen_random_uuid() END,
         user_id = EXCLUDED.user_id,
         station_id = EXCLUDED.station_id,
         destination_id = EXCLUDED.destination_id,
         expires_at = EXCLUDED.expires_at,
         created_at = now()
       WHERE seat_holds.expires_at <= now() OR seat_holds.user_id = EXCLUDED.user_id
       RETURNING ${HOLD_COLUMNS}`,
      claim.runId,
      claim.wagonNumber,
      claim.placeNumber,
      claim.userId,
      claim.stationId,
      claim.destinationId,
      ttlSeconds,
      maxPerUser,
    );
    if (rows[0]) return rows[0];
    const seat = { runId: claim.runId, wagonNumber: claim.wagonNumber, placeNumber: claim.placeNumber };
    if ((await this.db.ticket.count({ where: seat })) > 0) return "taken";
    const holder = await this.db.seatHold.findFirst({ where: { ...seat, expiresAt: { gt: new Date() } } });
    return holder && holder.userId !== claim.userId ? "held" : "limit";
  }

  /** The passenger's hold (live or expired), or null. */
  async findOwn(id: string, userId: string): Promise<HoldRow | null> {
    const rows = await this.db.$queryRawUnsafe<HoldRow[]>(
      `SELECT ${HOLD_COLUMNS} FROM seat_holds WHERE id = $1::uuid AND user_id = $2::uuid`,
      id,
      userId,
    );
    return rows[0] ?? null;
  }

  /** The passenger's holds that have not expired, soonest expiry first. */
  listLive(userId: string): Promise<HoldRow[]> {
    return this.db.$queryRawUnsafe<HoldRow[]>(
      `SELECT ${HOLD_COLUMNS} FROM seat_holds WHERE user_id = $1::uuid AND expires_at > now()
       ORDER BY expires_at, id`,
      userId,
    );
  }

  /**
   * Turns the passenger's live hold into a ticket in one statement: the hold row is deleted only if it is still
   * theirs and live, and the ticket insert is guarded by the seat's unique index (a refusal undoes the delete).
   * One statement, no interactive transaction: nothing waits for a pooled connection while holding locks.
   */
  async confirm(
    id: string,
    userId: string,
    facts: TicketFacts,
  ): Promise<TicketRow | "missing" | "expired" | "taken"> {
    try {
      const rows = await this.db.$queryRawUnsafe<TicketRow[]>(
        `WITH hold AS (
           DELETE FROM seat_holds WHERE id = $1::uuid AND user_id = $2::uuid AND expires_at > now()
           RETURNING run_id, wagon_number, place_number, user_id, station_id, destination_id
         )
         INSERT INTO tickets (user_id, run_id, train_number, wagon_number, place_number, station_id,
           destination_id, date, start_date, code)
         SELECT user_id, run_id, $3, wagon_number, place_number, station_id, destination_id, $4, $5, $6 FROM hold
         RETURNING ${TICKET_COLUMNS}`,
        id,
        userId,
        facts.trainNumber,
        facts.date,
        facts.startDate,
        facts.code,
      );
      if (rows[0]) return rows[0];
    } catch (err) {
      if (isPostgresError(err, PG_ERROR.uniqueViolation)) return "taken";
      throw err;
    }
    return (await this.db.seatHold.count({ where: { id, userId } })) > 0 ? "expired" : "missing";
  }

  /**
   * Sells the seat straight away (no hold first), in one statement: refused while another passenger's live hold
   * is on it (that hold row is locked for the statement); the buyer's own hold, or an expired one, is consumed.
   * "unknown_user" when the user row does not exist.
   */
  async purchase(claim: SeatClaim, facts: TicketFacts): Promise<TicketRow | SeatRefusal | "unknown_user"> {
    try {
      const rows = await this.db.$queryRawUnsafe<(TicketRow & { blocked: boolean })[]>(
        `WITH blocker AS (
           SELECT 1 FROM seat_holds
           WHERE run_id = $1::uuid AND wagon_number = $2 AND place_number = $3 AND expires_at > now()
             AND user_id <> $4::uuid
           FOR UPDATE
         ), freed AS (
           DELETE FROM seat_holds
           WHERE run_id = $1::uuid AND wagon_number = $2 AND place_number = $3 AND NOT EXISTS (SELECT 1 FROM blocker)
         )
         INSERT INTO tickets (user_id, run_id, train_number, wagon_number, place_number, station_id,
           destination_id, date, start_date, code)
         SELECT $4::uuid, $1::uuid, $7, $2, $3, $5, $6, $8, $9, $10 WHERE NOT EXISTS (SELECT 1 FROM blocker)
         RETURNING ${TICKET_COLUMNS}`,
        claim.runId,
        claim.wagonNumber,
        claim.placeNumber,
        claim.userId,
        claim.stationId,
        claim.destinationId,
        facts.trainNumber,
        facts.date,
        facts.startDate,
        facts.code,
      );
      return rows[0] ?? "held";
    } catch (err) {
      if (isPostgresError(err, PG_ERROR.uniqueViolation)) return "taken";
      if (isPostgresError(err, PG_ERROR.foreignKeyViolation)) return "unknown_user";
      throw err;
    }
  }

  /** Idempotent: releases the passenger's hold if it exists. */
  async release(id: string, userId: string): Promise<void> {
    await this.db.seatHold.deleteMany({ where: { id, userId } });
  }

  /**
   * Deletes up to `batch` expired holds and returns their ids. `FOR UPDATE SKIP LOCKED`: replicas running this
   * at the same moment pick disjoint rows instead of waiting on each other, so each hold is released once.
   */
  expire(batch: number): Promise<{ id: string }[]> {
    return this.db.$queryRaw<{ id: string }[]>`
      WITH expired AS (
        SELECT id FROM seat_holds WHERE expires_at <= now() ORDER BY expires_at LIMIT ${batch}
        FOR UPDATE SKIP LOCKED
      )
      DELETE FROM seat_holds h USING expired WHERE h.id = expired.id
      RETURNING h.id`;
  }
}
