import type { Db } from "../db.js";

/** Two weeks: longer than any train ride, so older tickets cannot be on a trip in progress. */
const LONGEST_TRIP_MS = 14 * 24 * 60 * 60 * 1000;

export interface TripRow {
  id: string;
  runId: string;
  trainNumber: number;
  wagonNumber: number;
  placeNumber: number;
  /** The ticket holder's name, for the store staff who prepare the order. */
  passengerName: string;
  /** Departure from the ticket's station. */
  departure: Date;
  /** Arrival at the ticket's destination (run departure + the destination stop's minutes). */
  arrival: Date;
}

/** Reads of tickets, runs and store bindings for the on-board shop. The only Prisma code of this feature. */
export class TripShopRepository {
  constructor(private readonly db: Db) {}

  /** The passenger's tickets that have departed but not yet arrived at `now`, latest departure first. */
  async tripsInProgress(userId: string, now: Date): Promise<TripRow[]> {
    const tickets = await this.db.ticket.findMany({
      where: { userId, date: { lte: now, gte: new Date(now.getTime() - LONGEST_TRIP_MS) } },
      orderBy: { date: "desc" },
      include: {
        user: { select: { name: true } },
        run: { include: { train: { include: { stops: true } } } },
      },
    });
    const trips: TripRow[] = [];
    for (const t of tickets) {
      const stop = t.run.train.stops.find((s) => s.stationId === t.destinationId);
      if (!stop) continue;
      const arrival = new Date(t.run.departure.getTime() + stop.arrivalMinutes * 60_000);
      if (arrival.getTime() < now.getTime()) continue;
      trips.push({
        id: t.id,
        runId: t.runId,
        trainNumber: t.trainNumber,
        wagonNumber: t.wagonNumber,
        placeNumber: t.placeNumber,
        passengerName: t.user.name,
        departure: t.date,
        arrival,
      });
    }
    return trips;
  }

  /** Ids of the stores bound to a run, in binding order. */
  async storeIds(runId: string): Promise<string[]> {
    const rows = await this.db.trainStore.findMany({
      where: { runId },
      orderBy: { createdAt: "asc" },
      select: { storeId: true },
    });
    return rows.map((r) => r.storeId);
  }
}
