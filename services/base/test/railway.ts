import type { Db } from "../src/db.js";

export interface TestTrain {
  number?: number;
  /** [station id, minutes after the origin's departure]; stations must exist (MOSCOW and SPB always do). */
  stops?: [string, number][];
  wagons?: number;
  seats?: number;
  class?: "economy" | "comfort" | "business" | "first";
  /** Departures from the origin (ISO 8601) to create runs for. */
  departures?: string[];
}

/**
 * Puts a train (default 1012, MOSCOW 0 min → SPB 240 min, 20 wagons of 100 economy places) and runs of it into a
 * test database, for tests that sell tickets or bind stores. Idempotent; returns the run ids by departure.
 */
export async function seedTrain(db: Db, train: TestTrain = {}): Promise<Map<string, string>> {
  const number = train.number ?? 1012;
  const stops = train.stops ?? [
    ["MOSCOW", 0],
    ["SPB", 240],
  ];
  const exists = await db.train.findUnique({ where: { number } });
  if (!exists) {
    await db.train.create({
      data: {
        number,
        stops: {
          create: stops.map(([stationId, minutes], position) => ({
            position,
            stationId,
            arrivalMinutes: minutes,
            departureMinutes: minutes,
          })),
        },
        wagons: {
          create: Array.from({ length: train.wagons ?? 20 }, (_, i) => ({
            number: i + 1,
            class: train.class ?? "economy",
            seats: train.seats ?? 100,
          })),
        },
      },
    });
  }
  const departures = (train.departures ?? []).map((d) => new Date(d));
  await db.run.createMany({
    data: departures.map((departure) => ({ trainNumber: number, departure })),
    skipDuplicates: true,
  });
  const runs = await db.run.findMany({ where: { trainNumber: number, departure: { in: departures } } });
  return new Map(runs.map((r) => [r.departure.toISOString(), r.id]));
}

/** A station for tests (MOSCOW and SPB exist after the migrations). */
export async function seedStation(db: Db, id: string, timeZone = "Europe/Moscow"): Promise<void> {
  await db.station.upsert({
    where: { id },
    create: { id, nameRu: id, nameEn: id, timeZone },
    update: {},
  });
}
