import { randomUUID } from "node:crypto";
import pino from "pino";
import { HttpError } from "@rail/common";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import { seedTrain } from "../../test/railway.js";
import { createDb } from "../db.js";
import { RunsRepository } from "../runs/runs.repository.js";
import { RunsService } from "../runs/runs.service.js";
import { randomPoolString } from "../shared/random.js";
import { HoldsExpiryJob } from "./holds.job.js";
import { HoldsRepository } from "./holds.repository.js";
import { HoldsService } from "./holds.service.js";

const DAY = 86_400_000;

/** The outcome of each call: the value, or the HttpError's status and detail. */
async function settle<T>(calls: Promise<T>[]) {
  return (await Promise.allSettled(calls)).map((r) => {
    if (r.status === "fulfilled") return { ok: true as const, value: r.value };
    const err = r.reason as unknown;
    if (!(err instanceof HttpError)) throw err;
    return { ok: false as const, status: err.status, detail: err.detail };
  });
}

interface Setup {
  holds: HoldsService;
  runs: RunsService;
  /** A run of train 4242 (3 wagons of 400 places) departing in two days. */
  runId: string;
  /** 50 passengers. */
  users: string[];
}

/** The file's database with train 4242, a future and a past run of it, 50 passengers and the services. */
const it = test.extend<{ setup: Setup }>({
  setup: [
    async ({ ctx }, use) => {
      const departure = new Date(Math.ceil((Date.now() + 2 * DAY) / 60_000) * 60_000).toISOString();
      const past = new Date(Date.now() - DAY).toISOString();
      const ids = await seedTrain(ctx.db, {
        number: 4242,
        wagons: 3,
        seats: 400,
        departures: [departure, past],
      });
      await ctx.db.user.createMany({
        data: Array.from({ length: 50 }, (_, i) => ({ id: randomUUID(), name: `Racer ${i}` })),
      });
      const users = (await ctx.db.user.findMany({ select: { id: true }, orderBy: { name: "asc" } })).map(
        (u) => u.id,
      );
      const runs = new RunsService(new RunsRepository(ctx.db));
      const holds = new HoldsService(new HoldsRepository(ctx.db), runs, {
        ttlSeconds: 600,
        newTicketCode: () => randomPoolString(128),
      });
      await use({ holds, runs, runId: ids.get(departure)!, users });
    },
    { scope: "file" },
  ],
});

/** The setup plus a seat of its run and a way to move holds' expiry. */
const tools = (ctx: TestContext, setup: Setup) => ({
  ...setup,
  seat: (wagon: number, place: number) => ({
    run_id: setup.runId,
    wagon_number: wagon,
    place_number: place,
    station_id: "MOSCOW",
    destination_id: "SPB",
  }),
  setExpiry: (where: string, at: string) =>
    ctx.db.$executeRawUnsafe(`UPDATE seat_holds SET expires_at = ${at} WHERE ${where}`),
});

describe("seat holds and purchases on real Postgres", () => {
  it("50 passengers holding one seat at once: one hold, 49 clear refusals, then one ticket", async ({
    ctx,
    setup,
  }) => {
    const { holds, runId, users, seat } = tools(ctx, setup);
    const results = await settle(users.map((u) => holds.hold(u, seat(1, 1))));
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(49);
    for (const r of refused)
      expect(r).toEqual({ ok: false, status: 409, detail: "Seat is held by another passenger" });
    const winner = users[results.findIndex((r) => r.ok)]!;
    const hold = won[0]!.value;
    const ticket = await holds.confirm(winner, hold.id);
    expect(ticket).toMatchObject({
      runId,
      wagonNumber: 1,
      placeNumber: 1,
      userId: winner,
      trainNumber: 4242,
    });
    expect(await ctx.db.ticket.count({ where: { runId, wagonNumber: 1, placeNumber: 1 } })).toBe(1);
    expect(await ctx.db.seatHold.count({ where: { runId, wagonNumber: 1, placeNumber: 1 } })).toBe(0);
    // The sold seat can no longer be held.
    const late = await settle([holds.hold(users[0] === winner ? users[1]! : users[0]!, seat(1, 1))]);
    expect(late[0]).toEqual({ ok: false, status: 409, detail: "Seat already taken" });
  });

  it("50 passengers buying one seat at once: one ticket and 49 clear refusals", async ({ ctx, setup }) => {
    const { holds, runs, runId, users } = tools(ctx, setup);
    const run = await runs.layout(runId);
    const results = await settle(
      users.map((u) =>
        holds.purchase(
          u,
          run,
          { wagon_number: 1, place_number: 2, station_id: "MOSCOW", destination_id: "SPB" },
          { allowDeparted: false },
        ),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r).toEqual({ ok: false, status: 409, detail: "Ticket already exists" });
    expect(await ctx.db.ticket.count({ where: { runId, wagonNumber: 1, placeNumber: 2 } })).toBe(1);
  });

  it("a live hold keeps the seat from buyers; the holder may buy it; an expired hold blocks nobody", async ({
    ctx,
    setup,
  }) => {
    const { holds, runs, runId, users, seat, setExpiry } = tools(ctx, setup);
    const [alice, bob] = [users[0]!, users[1]!];
    const run = await runs.layout(runId);
    const buy = (u: string, place: number) =>
      settle([
        holds.purchase(
          u,
          run,
          { wagon_number: 2, place_number: place, station_id: "MOSCOW", destination_id: "SPB" },
          { allowDeparted: false },
        ),
      ]);
    await holds.hold(alice, seat(2, 1));
    expect((await buy(bob, 1))[0]).toEqual({
      ok: false,
      status: 409,
      detail: "Seat is held by another passenger",
    });
    expect((await buy(alice, 1))[0]!.ok).toBe(true);
    expect(await ctx.db.seatHold.count({ where: { runId, wagonNumber: 2, placeNumber: 1 } })).toBe(0);

    // Expired but not yet released by the job: neither a hold nor a purchase by someone else is blocked.
    const first = await holds.hold(alice, seat(2, 2));
    await setExpiry(`id = '${first.id}'`, "now() - interval '1 second'");
    const taken = await holds.hold(bob, seat(2, 2));
    expect(taken.id).not.toBe(first.id);
    await expect(holds.confirm(alice, first.id)).rejects.toMatchObject({
      status: 404,
      detail: "Hold not found",
    });
    const second = await holds.hold(alice, seat(2, 3));
    await setExpiry(`id = '${second.id}'`, "now() - interval '1 second'");
    expect((await buy(bob, 3))[0]!.ok).toBe(true);
    // Confirming one's own hold after it expired is 410.
    const third = await holds.hold(alice, seat(2, 4));
    await setExpiry(`id = '${third.id}'`, "now() - interval '1 second'");
    await expect(holds.confirm(alice, third.id)).rejects.toMatchObject({
      status: 410,
      detail: "Hold expired",
    });
  });

  it("holding again extends one's own hold; release frees the seat; other passengers' holds stay theirs", async ({
    ctx,
    setup,
  }) => {
    const { holds, users, seat, setExpiry } = tools(ctx, setup);
    const [alice, bob] = [users[2]!, users[3]!];
    const first = await holds.hold(alice, seat(3, 1));
    await setExpiry(`id = '${first.id}'`, "now() + interval '5 seconds'");
    const again = await holds.hold(alice, seat(3, 1));
    expect(again.id).toBe(first.id);
    expect(new Date(again.expires_at).getTime()).toBeGreaterThan(Date.now() + 500_000);
    expect((await holds.listHolds(alice)).map((h) => h.id)).toContain(first.id);
    await expect(holds.confirm(bob, first.id)).rejects.toMatchObject({ status: 404 });
    await holds.release(bob, first.id); // not bob's: nothing happens
    expect(await ctx.db.seatHold.count({ where: { id: first.id } })).toBe(1);
    await holds.release(alice, first.id);
    await holds.release(alice, first.id); // idempotent
    expect((await holds.hold(bob, seat(3, 1))).wagon_number).toBe(3);
  });

  it("caps the seats one passenger holds at once (429), counting neither expired holds nor the seat itself", async ({
    ctx,
    setup,
  }) => {
    const { runs, users, seat, setExpiry } = tools(ctx, setup);
    const hoarder = users[10]!;
    const capped = new HoldsService(new HoldsRepository(ctx.db), runs, {
      ttlSeconds: 600,
      maxHoldsPerPassenger: 3,
      newTicketCode: () => randomPoolString(128),
    });
    for (const place of [201, 202, 203]) await capped.hold(hoarder, seat(2, place));
    await expect(capped.hold(hoarder, seat(2, 204))).rejects.toMatchObject({ status: 429 });
    // Extending one of the held seats is still allowed.
    expect((await capped.hold(hoarder, seat(2, 203))).place_number).toBe(203);
    await setExpiry(`user_id = '${hoarder}' AND place_number = 201`, "now() - interval '1 second'");
    expect((await capped.hold(hoarder, seat(2, 204))).place_number).toBe(204);
  });

  it("refuses seats that do not exist, wrong directions and runs that have left", async ({ ctx, setup }) => {
    const { holds, users, seat } = tools(ctx, setup);
    const u = users[4]!;
    await expect(holds.hold(u, seat(4, 1))).rejects.toMatchObject({
      status: 422,
      detail: "Train 4242 has no wagon 4",
    });
    await expect(holds.hold(u, seat(1, 401))).rejects.toMatchObject({ status: 422 });
    await expect(
      holds.hold(u, { ...seat(1, 5), station_id: "SPB", destination_id: "MOSCOW" }),
    ).rejects.toMatchObject({ status: 422, detail: "Train 4242 does not go from SPB to MOSCOW" });
    await expect(holds.hold(u, { ...seat(1, 5), run_id: randomUUID() })).rejects.toMatchObject({
      status: 404,
    });
    const left = (await ctx.db.run.findFirst({
      where: { trainNumber: 4242, departure: { lt: new Date() } },
    }))!;
    await expect(holds.hold(u, { ...seat(1, 5), run_id: left.id })).rejects.toMatchObject({
      status: 400,
      detail: "Train 4242 has already left MOSCOW",
    });
  });

  it("the expiry job on two replicas at once releases every expired hold exactly once and no live one", async ({
    ctx,
    setup,
  }) => {
    const { runId, users } = tools(ctx, setup);
    await ctx.db.seatHold.deleteMany({});
    const rows = Array.from({ length: 300 }, (_, i) => ({
      runId,
      wagonNumber: 3,
      placeNumber: 100 + i,
      userId: users[i % users.length]!,
      stationId: "MOSCOW",
      destinationId: "SPB",
      expiresAt: new Date(Date.now() - 60_000),
    }));
    const live = Array.from({ length: 5 }, (_, i) => ({
      ...rows[0]!,
      placeNumber: 10 + i,
      expiresAt: new Date(Date.now() + 600_000),
    }));
    await ctx.db.seatHold.createMany({ data: [...rows, ...live] });
    // Two replicas: separate connection pools, as two processes would have.
    const replicas = [createDb(ctx.database.url), createDb(ctx.database.url)];
    try {
      const released: string[][] = [[], []];
      const jobs = replicas.map((db, i) => {
        const repo = new HoldsRepository(db);
        const recording = {
          expire: async (batch: number) => {
            const ids = await repo.expire(batch);
            released[i]!.push(...ids.map((r) => r.id));
            return ids;
          },
        };
        return new HoldsExpiryJob(recording, pino({ level: "silent" }), { intervalMs: 1000, batch: 7 });
      });
      const counts = await Promise.all(jobs.map((j) => j.runOnce()));
      expect(counts[0]! + counts[1]!).toBe(300);
      const all = [...released[0]!, ...released[1]!];
      expect(new Set(all).size).toBe(300);
      expect(await ctx.db.seatHold.count()).toBe(5);
      expect(await ctx.db.seatHold.count({ where: { expiresAt: { lte: new Date() } } })).toBe(0);
    } finally {
      await Promise.all(replicas.map((db) => db.$disconnect()));
    }
  });
});
