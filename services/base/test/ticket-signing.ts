import { randomBytes, randomInt } from "node:crypto";
import type { Db } from "../src/db.js";

export interface SeededRun {
  trainNumber: number;
  runStart: Date;
  departure: Date;
  stationId: string;
  wagon: number;
  runId: string;
  userId: string;
  ticketIds: string[];
}

/**
 * Test data for ticket checks: a train SPB → MOSCOW with one wagon, a run departing in an hour (whole seconds, as
 * signed codes carry them), a passenger "Anna Smirnova" and `tickets` tickets on seats 1..n of wagon 3.
 */
export async function seedRun(db: Db, opts: { tickets: number; departure?: Date }): Promise<SeededRun> {
  const trainNumber = randomInt(100_000, 2_000_000_000);
  const departure = opts.departure ?? new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
  const wagon = 3;
  await db.train.create({
    data: {
      number: trainNumber,
      name: "Test",
      stops: {
        create: [
          { position: 0, stationId: "SPB", arrivalMinutes: 0, departureMinutes: 0 },
          { position: 1, stationId: "MOSCOW", arrivalMinutes: 240, departureMinutes: 240 },
        ],
      },
      wagons: { create: [{ number: wagon, class: "economy", seats: Math.max(opts.tickets, 1) }] },
    },
  });
  const run = await db.run.create({ data: { trainNumber, departure } });
  const user = await db.user.create({ data: { name: "Anna Smirnova" } });
  const ticketIds: string[] = [];
  for (let seat = 1; seat <= opts.tickets; seat++) {
    const t = await db.ticket.create({
      data: {
        userId: user.id,
        runId: run.id,
        trainNumber,
        wagonNumber: wagon,
        placeNumber: seat,
        stationId: "SPB",
        destinationId: "MOSCOW",
        date: departure,
        startDate: departure,
        code: randomBytes(48).toString("base64url"),
      },
    });
    ticketIds.push(t.id);
  }
  return {
    runId: run.id,
    trainNumber,
    runStart: departure,
    departure,
    stationId: "SPB",
    wagon,
    userId: user.id,
    ticketIds,
  };
}
