import { isForeignKeyViolation } from "@rail/common";
import type { Db } from "../db.js";
import type { StationRow } from "../stations/stations.repository.js";
import type { StopRow, WagonRow } from "../trains/trains.repository.js";

export interface RunRow {
  id: string;
  trainNumber: number;
  departure: Date;
}

/** A run with its train's route (stations included) and wagons: everything its times and seats derive from. */
export interface RunLayout extends RunRow {
  stops: (StopRow & { station: StationRow })[];
  wagons: WagonRow[];
}

export interface RunFilter {
  trainNumber?: number;
  from?: Date;
  to?: Date;
}

const RUN = { id: true, trainNumber: true, departure: true } as const;
const LAYOUT = {
  ...RUN,
  train: {
    select: {
      stops: {
        orderBy: { position: "asc" },
        select: {
          position: true,
          stationId: true,
          arrivalMinutes: true,
          departureMinutes: true,
          station: { select: { id: true, nameRu: true, nameEn: true, timeZone: true } },
        },
      },
      wagons: { orderBy: { number: "asc" }, select: { number: true, class: true, seats: true } },
    },
  },
} as const;

const where = (f: RunFilter) => ({
  trainNumber: f.trainNumber,
  departure: f.from || f.to ? { gte: f.from, lt: f.to } : undefined,
});

export class RunsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Creates the runs that do not exist yet (idempotent per train and departure) and returns all of them;
   * "unknown_train" when there is no such train.
   */
  async createMany(trainNumber: number, departures: Date[]): Promise<RunLayout[] | "unknown_train"> {
    try {
      await this.db.run.createMany({
        data: departures.map((departure) => ({ trainNumber, departure })),
        skipDuplicates: true,
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) return "unknown_train";
      throw err;
    }
    return this.layouts({ trainNumber, departure: { in: departures } });
  }

  count(filter: RunFilter): Promise<number> {
    return this.db.run.count({ where: where(filter) });
  }

  list(filter: RunFilter, window: { skip: number; take: number }): Promise<RunLayout[]> {
    return this.layouts(where(filter), window);
  }

  private async layouts(filter: object, window: { skip?: number; take?: number } = {}): Promise<RunLayout[]> {
    const rows = await this.db.run.findMany({
      where: filter,
      orderBy: [{ departure: "asc" }, { trainNumber: "asc" }],
      select: LAYOUT,
      ...window,
    });
    return rows.map(({ train, ...run }) => ({ ...run, ...train }));
  }

  async findLayout(id: string): Promise<RunLayout | null> {
    const row = await this.db.run.findUnique({ where: { id }, select: LAYOUT });
    if (!row) return null;
    const { train, ...run } = row;
    return { ...run, ...train };
  }

  /** Layouts of several runs (in no particular order; unknown ids are left out). */
  findLayouts(ids: string[]): Promise<RunLayout[]> {
    return this.layouts({ id: { in: ids } });
  }

  /** Runs leaving `stationId` at exactly `instant` for a later stop (at most a few: one per train). */
  departingAt(stationId: string, instant: Date): Promise<{ id: string }[]> {
    return this.db.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM runs r
      JOIN train_stops s ON s.train_number = r.train_number AND s.station_id = ${stationId}
      WHERE r.departure + make_interval(mins => s.departure_minutes) = ${instant}
        -- Nobody boards at the last stop (its "departure" is its arrival).
        AND EXISTS (SELECT 1 FROM train_stops n WHERE n.train_number = s.train_number AND n.position > s.position)
      ORDER BY r.train_number`;
  }

  findByTrainDeparture(trainNumber: number, departure: Date): Promise<RunRow | null> {
    return this.db.run.findUnique({
      where: { trainNumber_departure: { trainNumber, departure } },
      select: RUN,
    });
  }

  /** The latest run of the train that has left by `now` and not yet reached its last stop. */
  async inProgress(trainNumber: number, now: Date): Promise<RunRow | null> {
    const rows = await this.db.$queryRaw<RunRow[]>`
      SELECT r.id, r.train_number AS "trainNumber", r.departure
      FROM runs r
      WHERE r.train_number = ${trainNumber} AND r.departure <= ${now}
        AND r.departure + make_interval(mins => (
          SELECT COALESCE(max(s.arrival_minutes), 0) FROM train_stops s WHERE s.train_number = r.train_number
        )) >= ${now}
      ORDER BY r.departure DESC
      LIMIT 1`;
    return rows[0] ?? null;
  }

  /** The first run of the train departing after `now` and before `before`. */
  nextDeparture(trainNumber: number, now: Date, before: Date): Promise<RunRow | null> {
    return this.db.run.findFirst({
      where: { trainNumber, departure: { gt: now, lt: before } },
      orderBy: { departure: "asc" },
      select: RUN,
    });
  }

  /** Whether the train exists, and the time zone of its first stop (null without a route). */
  async trainOrigin(trainNumber: number): Promise<{ timeZone: string | null } | null> {
    const train = await this.db.train.findUnique({
      where: { number: trainNumber },
      select: { stops: { where: { position: 0 }, select: { station: { select: { timeZone: true } } } } },
    });
    if (!train) return null;
    return { timeZone: train.stops[0]?.station.timeZone ?? null };
  }

  /** Idempotent; "has_tickets" when tickets of it exist (foreign key). */
  async delete(id: string): Promise<"has_tickets" | undefined> {
    try {
      await this.db.run.deleteMany({ where: { id } });
    } catch (err) {
      if (isForeignKeyViolation(err)) return "has_tickets";
      throw err;
    }
  }
}
