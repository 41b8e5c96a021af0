// A robot's offline day against a real base service (own database, real Redis, real HTTP), driven by the robot SDK.
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { describe, expect } from "vitest";
import {
  OfflineTicketChecker,
  RobotClient,
  RobotNetworkError,
  TicketRejectedError,
  type FetchLike,
} from "@rail/robot-sdk";
import { test, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer } from "../../test/helpers.js";
import { seedRun } from "../../test/ticket-signing.js";

/** The file's app served over real HTTP (the robot SDK speaks to it with fetch). */
interface Served {
  baseUrl: string;
  admin: string;
}

/** Helpers over the file's app for each test. */
const helpers = (ctx: TestContext, { baseUrl, admin }: Served) => ({
  /** A robot whose network can be cut: `online = false` makes every request fail as with no connectivity. */
  newRobot: async (name: string) => {
    const link = { online: true };
    const fetchImpl: FetchLike = (url, init) =>
      link.online ? fetch(url, init) : Promise.reject(new TypeError("fetch failed: no network"));
    const credentials = await RobotClient.enrol({
      baseApiUrl: baseUrl,
      engineerLogin: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      engineerPassword: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
      robotModelId: `${name}-${randomUUID()}`,
      robotModelName: "TestRobot:0.1.0:001",
    });
    const client = new RobotClient({
      baseApiUrl: baseUrl,
      storeApiUrl: "http://127.0.0.1:9",
      credentials,
      fetch: fetchImpl,
    });
    return { link, client, checker: new OfflineTicketChecker(client) };
  },
  signedCode: async (ticketId: string) => {
    const res = await request(ctx.app).get(`${API}/admin/ticket/${ticketId}/signed_code`).set(bearer(admin));
    expect(res.status).toBe(200);
    return res.body.signed_code as string;
  },
  conflictsTotal: async () => {
    const metrics = await request(ctx.app).get("/metrics");
    const line = metrics.text.split("\n").find((l) => l.startsWith("ticket_use_conflicts_total"));
    return Number(line?.split(" ").at(-1));
  },
});

const it = test.extend<{ served: Served; h: ReturnType<typeof helpers> }>({
  served: [
    async ({ ctx }, use) => {
      const server: Server = ctx.app.listen(0, "127.0.0.1");
      await new Promise((resolve) => server.once("listening", resolve));
      try {
        await use({
          baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}${API}`,
          admin: await adminToken(ctx),
        });
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
    { scope: "file" },
  ],
  h: async ({ ctx, served }, use) => use(helpers(ctx, served)),
});

describe("offline ticket checks with the robot SDK", () => {
  it("20 tickets checked offline (one of them at two robots), key rotated mid-run: 20 uses once, 1 conflict", async ({
    ctx,
    served: { admin },
    h: { newRobot, signedCode, conflictsTotal },
  }) => {
    const run = await seedRun(ctx.db, { tickets: 20 });
    const at = {
      stationId: run.stationId,
      trainNumber: run.trainNumber,
      date: run.departure,
      wagon: run.wagon,
    };
    const a = await newRobot("door-a");
    const b = await newRobot("door-b");

    // Half the passengers got their codes before the rotation, half after.
    const codes: string[] = [];
    for (const id of run.ticketIds.slice(0, 10)) codes.push(await signedCode(id));
    await a.checker.prepare(run.trainNumber, run.runStart);
    const rotation = await request(ctx.app).post(`${API}/admin/ticket_keys/rotate`).set(bearer(admin));
    expect(rotation.status).toBe(200);
    for (const id of run.ticketIds.slice(10)) codes.push(await signedCode(id));
    // Both robots refresh their packs while still online (the current key and the retired one).
    const pack = await a.checker.prepare(run.trainNumber, run.runStart);
    expect(pack.keys.map((k) => k.status).sort()).toEqual(["current", "retired"]);
    await b.checker.prepareRun(run.runId); // the other robot knows the run by id

    // Into the tunnel.
    a.link.online = false;
    b.link.online = false;
    await expect(
      a.client.validateTicket({
        stationId: at.stationId,
        trainNumber: at.trainNumber,
        wagonNumber: at.wagon,
        date: at.date,
        code: codes[0],
      }),
    ).rejects.toBeInstanceOf(RobotNetworkError);
    const now = new Date();
    for (const code of codes) expect(a.checker.check(code, at, now)).toMatchObject({ ok: true });
    expect(a.checker.check(codes[3]!, at, now)).toMatchObject({ ok: false, reason: "already_used" });
    // The same passenger also walks through the other door (a code signed with the retired key).
    expect(b.checker.check(codes[3]!, at, now)).toMatchObject({ ok: true });
    // Nothing reached the server yet.
    expect(await ctx.db.ticket.count({ where: { trainNumber: run.trainNumber, used: true } })).toBe(0);
    expect(await a.checker.sync()).toEqual([]);
    expect(a.checker.pending()).toHaveLength(20);

    // Back online: both upload.
    a.link.online = true;
    b.link.online = true;
    const conflictsBefore = await conflictsTotal();
    const aUses = a.checker.pending();
    const fromA = await a.checker.sync(7);
    expect(fromA.map((r) => r.status)).toEqual(Array(20).fill("recorded"));
    const fromB = await b.checker.sync();
    expect(fromB).toEqual([
      { use_id: expect.any(String), ticket_id: run.ticketIds[3], status: "conflict", duplicate: false },
    ]);
    // A retry of the same uses (e.g. the answer was lost) changes nothing.
    const again = await a.client.uploadTicketUses(
      aUses.map(({ use_id, code, station_id, wagon_number, used_at }) => ({
        use_id,
        code,
        station_id,
        wagon_number,
        used_at,
      })),
    );
    expect(again.every((r) => r.duplicate && r.status === "recorded")).toBe(true);

    expect(await ctx.db.ticket.count({ where: { trainNumber: run.trainNumber, used: true } })).toBe(20);
    expect(
      await ctx.db.ticketUse.count({ where: { trainNumber: run.trainNumber, outcome: "recorded" } }),
    ).toBe(20);
    expect(
      await ctx.db.ticketUse.count({ where: { trainNumber: run.trainNumber, outcome: "conflict" } }),
    ).toBe(1);
    expect(await conflictsTotal()).toBe(conflictsBefore + 1);
    const listed = await request(ctx.app).get(`${API}/admin/ticket_use_conflicts`).set(bearer(admin));
    expect(listed.status).toBe(200);
    expect(
      listed.body.items.filter((c: { ticket_id: string }) => c.ticket_id === run.ticketIds[3]),
    ).toHaveLength(1);
    expect((await request(ctx.app).get(`${API}/admin/ticket_use_conflicts`)).status).toBe(401);

    // An online check after the offline use is refused as today, for either kind of code.
    const online = a.client.validateTicket({
      stationId: at.stationId,
      trainNumber: at.trainNumber,
      wagonNumber: at.wagon,
      date: at.date,
      code: codes[5],
    });
    await expect(online).rejects.toBeInstanceOf(TicketRejectedError);
    await expect(online).rejects.toMatchObject({ ticketMessage: "Ticket already used" });
    const ticket5 = await ctx.db.ticket.findUniqueOrThrow({ where: { id: run.ticketIds[5]! } });
    await expect(
      a.client.validateTicket({
        stationId: at.stationId,
        trainNumber: at.trainNumber,
        wagonNumber: at.wagon,
        date: at.date,
        code: ticket5.code,
      }),
    ).rejects.toMatchObject({ ticketMessage: "Ticket already used" });

    // A fresh pack now tells every robot these tickets are used.
    const fresh = await b.client.offlinePack(run.trainNumber, run.runStart);
    expect([...fresh.used_ticket_ids].sort()).toEqual([...run.ticketIds].sort());
  });

  it("uploads racing for one ticket record exactly one use; the others are conflicts", async ({
    ctx,
    h: { newRobot, signedCode },
  }) => {
    const race = await seedRun(ctx.db, { tickets: 1 });
    const code = await signedCode(race.ticketIds[0]!);
    const robots = await Promise.all([newRobot("race-1"), newRobot("race-2")]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        robots[i % 2]!.client.uploadTicketUses([
          {
            use_id: randomUUID(),
            code,
            station_id: race.stationId,
            wagon_number: race.wagon,
            used_at: new Date().toISOString(),
          },
        ]),
      ),
    );
    const statuses = results.flat().map((r) => r.status);
    expect(statuses.filter((s) => s === "recorded")).toHaveLength(1);
    expect(statuses.filter((s) => s === "conflict")).toHaveLength(9);
  });

  it("the same use uploaded concurrently is stored once; the repeats say duplicate", async ({
    ctx,
    h: { newRobot, signedCode },
  }) => {
    const one = await seedRun(ctx.db, { tickets: 1 });
    const code = await signedCode(one.ticketIds[0]!);
    const robot = await newRobot("retry");
    const use = {
      use_id: randomUUID(),
      code,
      station_id: one.stationId,
      wagon_number: one.wagon,
      used_at: new Date().toISOString(),
    };
    const results = (
      await Promise.all(Array.from({ length: 6 }, () => robot.client.uploadTicketUses([use])))
    ).flat();
    expect(results.every((r) => r.status === "recorded")).toBe(true);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await ctx.db.ticketUse.count({ where: { useId: use.use_id } })).toBe(1);
  });

  it("refuses uploads without a robot session, and codes no key signed are invalid_code (not stored)", async ({
    ctx,
    h: { newRobot },
  }) => {
    const res = await request(ctx.app).post(`${API}/robot/ticket_uses`).send({ uses: [] });
    expect(res.status).toBe(401);
    const robot = await newRobot("forger");
    const before = await ctx.db.ticketUse.count();
    const [result] = await robot.client.uploadTicketUses([
      {
        use_id: randomUUID(),
        code: "RT1:ABC",
        station_id: "SPB",
        wagon_number: 1,
        used_at: new Date().toISOString(),
      },
    ]);
    expect(result).toMatchObject({ status: "invalid_code", ticket_id: null });
    expect(await ctx.db.ticketUse.count()).toBe(before);
    const empty = await request(ctx.app)
      .post(`${API}/robot/ticket_uses`)
      .set(bearer(await robot.client.login()))
      .send({ uses: [] });
    expect(empty.status).toBe(422);
  });
});
