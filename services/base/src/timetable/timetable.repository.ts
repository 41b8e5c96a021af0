import type { Db } from "../db.js";
import type { TicketRow } from "../holds/holds.repository.js";

export interface RunMatch {
  runId: string;
  trainNumber: number;
  /** The run's departure from its origin. */
  departure: Date;
  fromMinutes: number;
  toMinutes: number;
}

export interface WagonOccupancy {
  runId: string;
  wagonNumber: number;
  class: string;
  seats: number;
  /** Places sold or held by a hold that has not expired. */
  taken: number;
}

export interface OccupiedPlace {
  wagonNumber: number;
  placeNumber: number;
  status: "taken" | "held";
}

/** Read-side queries of the timetable; counting is done in SQL (no run's tickets are loaded to count them). */
export class TimetableRepository {
  constructor(private readonly db: Db) {}

  /** Runs that stop at `from` and later at `to`, leaving `from` within [start, end), earliest first. */
  searchRuns(from: string, to: string, start: Date, end: Date): Promise<RunMatch[]> {
    return this.db.$queryRaw<RunMatch[]>`
      SELECT r.id AS "runId", r.train_number AS "trainNumber", r.departure,
        sf.departure_minutes AS "fromMinutes", st.arrival_minutes AS "toMinutes"
      FROM train_stops sf
      JOIN train_stops st ON st.train_number = sf.train_number AND st.station_id = ${to}
        AND st.position > sf.position
      JOIN runs r ON r.train_number = sf.train_number
      WHERE sf.station_id = ${from}
        AND r.departure + make_interval(mins => sf.departure_minutes) >= ${start}
        AND r.departure + make_interval(mins => sf.departure_minutes) < ${end}
      ORDER BY r.departure + make_interval(mins => sf.departure_minutes), r.train_number`;
  }

  /** Per run and wagon: its class, seats and how many are sold or held (live holds only). */
  occupancy(runIds: string[]): Promise<WagonOccupancy[]> {
    if (runIds.length === 0) return Promise.resolve([]);
    return this.db.$queryRaw<WagonOccupancy[]>`
      SELECT r.id AS "runId", w.number AS "wagonNumber", w.class, w.seats,
        (SELECT count(*)::int FROM (
          SELECT t.place_number FROM tickets t WHERE t.run_id = r.id AND t.wagon_number = w.number
          UNION
          SELECT h.place_number FROM seat_holds h
          WHERE h.run_id = r.id AND h.wagon_number = w.number AND h.expires_at > now()
        ) AS occupied) AS taken
      FROM runs r JOIN wagons w ON w.train_number = r.train_number
      WHERE r.id = ANY(${runIds}::uuid[])
      ORDER BY r.id, w.number`;
  }

  /** The run's sold and (live) held places; a sold place is reported as sold even if a stale hold names it. */
  occupiedPlaces(runId: string): Promise<OccupiedPlace[]> {
    return this.db.$queryRaw<OccupiedPlace[]>`
      SELECT wagon_number AS "wagonNumber", place_number AS "placeNumber", 'taken' AS status
      FROM tickets WHERE run_id = ${runId}::uuid
      UNION ALL
      SELECT h.wagon_number, h.place_number, 'held' FROM seat_holds h
      WHERE h.run_id = ${runId}::uuid AND h.expires_at > now()
        AND NOT EXISTS (
          SELECT 1 FROM tickets t
          WHERE t.run_id = h.run_id AND t.wagon_number = h.wagon_number AND t.place_number = h.place_number
        )`;
  }

  /**
   * The user's ticket for the trip in progress (boarded or not) or else the next one: the earliest departure
   * among tickets whose run has not yet reached the ticket's destination at `now`.
   */
  async currentTicket(userId: string, now: Date): Promise<TicketRow | null> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT t.id FROM tickets t
      JOIN runs r ON r.id = t.run_id
      JOIN train_stops s ON s.train_number = r.train_number AND s.station_id = t.destination_id
      WHERE t.user_id = ${userId}::uuid AND r.departure + make_interval(mins => s.arrival_minutes) >= ${now}
      ORDER BY t.date, t.id
      LIMIT 1`;
    return rows[0] ? this.db.ticket.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** Store ids bound to the run, in binding order (the reference served at most 50). */
  async storeIds(runId: string, limit: number): Promise<string[]> {
    const rows = await this.db.trainStore.findMany({
      where: { runId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { storeId: true },
      take: limit,
    });
    return rows.map((r) => r.storeId);
  }
}
