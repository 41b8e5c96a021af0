import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { decodeTicketCode } from "@rail/robot-sdk/ticket-code";
import { test, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer, robotSession } from "../../test/helpers.js";
import { Registry } from "prom-client";
import { KeyVault } from "./key-vault.js";
import { createTicketSigningMetrics } from "./ticket-signing.metrics.js";
import { TicketSigningRepository } from "./ticket-signing.repository.js";
import { TicketSigningService } from "./ticket-signing.service.js";
import { seedRun, type SeededRun } from "../../test/ticket-signing.js";

interface Seeded {
  admin: string;
  robot: string;
  /** A run with 4 tickets. */
  run: SeededRun;
}

const helpers = (ctx: TestContext, { admin, run }: Seeded) => ({
  signedCode: async (ticketId: string) => {
    const res = await request(ctx.app).get(`${API}/admin/ticket/${ticketId}/signed_code`).set(bearer(admin));
    expect(res.status).toBe(200);
    return res.body as { signed_code: string; kid: string; valid_from: string; valid_until: string };
  },
  validation: (code: string, over: Record<string, unknown> = {}) => ({
    station_id: run.stationId,
    train_number: run.trainNumber,
    wagon_number: run.wagon,
    date: run.departure.toISOString(),
    code,
    mark_as_used: true,
    ...over,
  }),
});

/** The file's app with an admin, a robot and a run with 4 tickets; helpers for each test. */
const it = test.extend<{ seeded: Seeded; h: ReturnType<typeof helpers> }>({
  seeded: [
    async ({ ctx }, use) =>
      use({
        admin: await adminToken(ctx),
        robot: (await robotSession(ctx)).token,
        run: await seedRun(ctx.db, { tickets: 4 }),
      }),
    { scope: "file" },
  ],
  h: async ({ ctx, seeded }, use) => use(helpers(ctx, seeded)),
});

describe("ticket signing keys", () => {
  it("publishes the current key to robots only (401 without a robot session)", async ({
    ctx,
    seeded: { robot },
  }) => {
    expect((await request(ctx.app).get(`${API}/robot/ticket_keys`)).status).toBe(401);
    const res = await request(ctx.app).get(`${API}/robot/ticket_keys`).set(bearer(robot));
    expect(res.status).toBe(200);
    const current = res.body.keys.filter((k: { status: string }) => k.status === "current");
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", retired_at: null });
    expect(Buffer.from(current[0].x, "base64url")).toHaveLength(32);
  });

  it("keeps the private key encrypted at rest (readable only with TICKET_SIGNING_SECRET)", async ({
    ctx,
  }) => {
    const row = await ctx.db.ticketSigningKey.findFirstOrThrow({ where: { current: true } });
    const der = new KeyVault(ctx.config.TICKET_SIGNING_SECRET).open(row.privateKeyEnc, row.kid);
    expect(der.length).toBe(48); // PKCS#8 Ed25519
    expect(Buffer.from(row.privateKeyEnc).includes(der.subarray(16))).toBe(false);
    expect(() =>
      new KeyVault("another-secret-of-at-least-32-chars!!").open(row.privateKeyEnc, row.kid),
    ).toThrow();
    expect(() =>
      new KeyVault(ctx.config.TICKET_SIGNING_SECRET).open(row.privateKeyEnc, "other-kid"),
    ).toThrow();
  });

  it("answers 503 (and passengers get no signed codes) when TICKET_SIGNING_SECRET no longer opens the key", async ({
    ctx,
    seeded: { run },
  }) => {
    const errors: object[] = [];
    const misconfigured = new TicketSigningService(
      new TicketSigningRepository(ctx.db),
      new KeyVault("a-different-secret-than-the-one-used-to-seal"),
      createTicketSigningMetrics(new Registry()),
      { error: (obj) => errors.push(obj) },
    );
    await expect(misconfigured.signedCodeFor(run.ticketIds[0]!)).rejects.toMatchObject({ status: 503 });
    expect((await misconfigured.signedCodes([run.ticketIds[0]!])).size).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
  });

  it("rotates for engineers only; the retired key stays published while its codes are valid", async ({
    ctx,
    seeded: { admin, robot, run },
    h: { signedCode },
  }) => {
    const before = await signedCode(run.ticketIds[0]!);
    expect((await request(ctx.app).post(`${API}/admin/ticket_keys/rotate`).set(bearer(robot))).status).toBe(
      401,
    );
    const rotated = await request(ctx.app).post(`${API}/admin/ticket_keys/rotate`).set(bearer(admin));
    expect(rotated.status).toBe(200);
    expect(rotated.body.retired_kid).toBe(before.kid);
    const keys = (await request(ctx.app).get(`${API}/robot/ticket_keys`).set(bearer(robot))).body.keys;
    expect(keys.find((k: { kid: string }) => k.kid === rotated.body.kid).status).toBe("current");
    expect(keys.find((k: { kid: string }) => k.kid === before.kid)).toMatchObject({
      status: "retired",
      codes_valid_until: before.valid_until,
    });
    expect((await signedCode(run.ticketIds[0]!)).kid).toBe(rotated.body.kid);
  });

  it("answers concurrent rotations with exactly one current key (others 200 or 409)", async ({
    ctx,
    seeded: { admin },
  }) => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(ctx.app).post(`${API}/admin/ticket_keys/rotate`).set(bearer(admin)),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(await ctx.db.ticketSigningKey.count({ where: { current: true } })).toBe(1);
  });
});

describe("signed codes online", () => {
  it("carries the ticket's run, seat and the passenger's initials", async ({
    seeded: { run },
    h: { signedCode },
  }) => {
    const { signed_code } = await signedCode(run.ticketIds[1]!);
    const { claims } = decodeTicketCode(signed_code);
    expect(claims).toMatchObject({
      ticketId: run.ticketIds[1],
      trainNumber: run.trainNumber,
      origin: run.stationId,
      wagon: run.wagon,
      seat: 2,
      initials: "A.S.",
      departure: run.departure,
    });
    // The same code each time it is shown, until the key rotates (deterministic signature, fixed "issued at").
    expect((await signedCode(run.ticketIds[1]!)).signed_code).toBe(signed_code);
  });

  it("validates a signed code once (code withheld in the answer), like the secret code", async ({
    ctx,
    seeded: { robot, run },
    h: { signedCode, validation },
  }) => {
    const { signed_code } = await signedCode(run.ticketIds[1]!);
    const wrongWagon = await request(ctx.app)
      .post(`${API}/robot/ticket_validation`)
      .set(bearer(robot))
      .send(validation(signed_code, { wagon_number: run.wagon + 1 }));
    expect(wrongWagon.status).toBe(400);
    expect(wrongWagon.body.detail.message).toBe("Invalid wagon number");
    const first = await request(ctx.app)
      .post(`${API}/robot/ticket_validation`)
      .set(bearer(robot))
      .send(validation(signed_code));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: run.ticketIds[1], code: "" });
    const again = await request(ctx.app)
      .post(`${API}/robot/ticket_validation`)
      .set(bearer(robot))
      .send(validation(signed_code));
    expect(again.status).toBe(400);
    expect(again.body.detail.message).toBe("Ticket already used");
  });

  it("refuses a tampered or unsigned RT1: code with 401 Invalid ticket code", async ({
    ctx,
    seeded: { robot, run },
    h: { signedCode, validation },
  }) => {
    const { signed_code } = await signedCode(run.ticketIds[2]!);
    const tampered = signed_code.slice(0, 40) + (signed_code[40] === "A" ? "B" : "A") + signed_code.slice(41);
    for (const code of [tampered, "RT1:", "RT1:NOT BASE45 AT ALL!"]) {
      const res = await request(ctx.app)
        .post(`${API}/robot/ticket_validation`)
        .set(bearer(robot))
        .send(validation(code));
      expect(res.status, code).toBe(401);
      expect(res.body.detail).toBe("Invalid ticket code");
    }
  });

  it("404 for the signed code of an unknown ticket", async ({ ctx, seeded: { admin } }) => {
    const res = await request(ctx.app)
      .get(`${API}/admin/ticket/${randomUUID()}/signed_code`)
      .set(bearer(admin));
    expect(res.status).toBe(404);
  });
});

describe("offline pack", () => {
  it("lists a deleted ticket on its run's deny list, and used tickets; 422 for a bad run query", async ({
    ctx,
    seeded: { admin, robot, run },
    h: { signedCode, validation },
  }) => {
    const { signed_code } = await signedCode(run.ticketIds[3]!);
    expect(
      (await request(ctx.app).delete(`${API}/admin/ticket/${run.ticketIds[3]}`).set(bearer(admin))).status,
    ).toBe(200);
    const pack = await request(ctx.app)
      .get(`${API}/robot/ticket_offline_pack`)
      .query({ train_number: run.trainNumber, start_date: run.runStart.toISOString() })
      .set(bearer(robot));
    expect(pack.status).toBe(200);
    expect(pack.body.denied_ticket_ids).toEqual([run.ticketIds[3]]);
    expect(pack.body.used_ticket_ids).toContain(run.ticketIds[1]);
    expect(pack.body.keys.length).toBeGreaterThanOrEqual(2);
    // Online, the deleted ticket's signed code is simply unknown.
    const res = await request(ctx.app)
      .post(`${API}/robot/ticket_validation`)
      .set(bearer(robot))
      .send(validation(signed_code));
    expect(res.status).toBe(401);
    const bad = await request(ctx.app)
      .get(`${API}/robot/ticket_offline_pack`)
      .query({ train_number: "x", start_date: "yesterday" })
      .set(bearer(robot));
    expect(bad.status).toBe(422);
    // The same pack by run id; unknown runs are 404, a query naming no run 422.
    const byId = await request(ctx.app)
      .get(`${API}/robot/ticket_offline_pack`)
      .query({ run_id: run.runId })
      .set(bearer(robot));
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      run_id: run.runId,
      train_number: run.trainNumber,
      start_date: run.runStart.toISOString(),
      denied_ticket_ids: [run.ticketIds[3]],
    });
    const unknown = await request(ctx.app)
      .get(`${API}/robot/ticket_offline_pack`)
      .query({ run_id: randomUUID() })
      .set(bearer(robot));
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("Run not found");
    const none = await request(ctx.app)
      .get(`${API}/robot/ticket_offline_pack`)
      .query({ train_number: 5 })
      .set(bearer(robot));
    expect(none.status).toBe(422);
  });

  it("drops a run's deny list together with the run", async ({ ctx, seeded: { admin } }) => {
    const short = await seedRun(ctx.db, { tickets: 1 });
    await request(ctx.app).delete(`${API}/admin/ticket/${short.ticketIds[0]}`).set(bearer(admin));
    expect(await ctx.db.ticketRevocation.count({ where: { runId: short.runId } })).toBe(1);
    await ctx.db.run.delete({ where: { id: short.runId } });
    expect(await ctx.db.ticketRevocation.count({ where: { runId: short.runId } })).toBe(0);
  });
});
