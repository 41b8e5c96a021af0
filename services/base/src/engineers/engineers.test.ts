import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { ALL_PRIVILEGES, sessionKey } from "@rail/common";
import { testWithEnv, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer, robotSession } from "../../test/helpers.js";
import { ensureBootstrapEngineer } from "./engineers.service.js";

/** The file's app (3 free login failures), the bootstrap engineer's token and helpers for each test. */
const helpers = (ctx: TestContext, admin: string) => ({
  createEngineer: async (login: string, privileges: string[]) => {
    const res = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: `${login}-password`, privileges });
    expect(res.status).toBe(200);
    return res.body as { id: string; login: string };
  },
  login: (l: string, password = `${l}-password`) =>
    request(ctx.app).post(`${API}/auth/engineer/login`).send({ login: l, password }),
});

const it = testWithEnv({ LOGIN_MAX_FAILURES: "3" }).extend<{
  admin: string;
  f: ReturnType<typeof helpers>;
}>({
  admin: [async ({ ctx }, use) => use(await adminToken(ctx)), { scope: "file" }],
  f: async ({ ctx, admin }, use) => use(helpers(ctx, admin)),
});

describe("engineers and admin authentication", () => {
  it("creates the bootstrap engineer once with every privilege and never overwrites it", async ({ ctx }) => {
    const row = await ctx.db.engineer.findUniqueOrThrow({
      where: { login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN },
    });
    expect(row.privileges).toBe(ALL_PRIVILEGES);
    expect(row.passwordHash).toMatch(/^\$2[aby]\$/);
    await ctx.db.engineer.update({ where: { id: row.id }, data: { privileges: 1 } });
    await ensureBootstrapEngineer({
      ...ctx,
      config: { ...ctx.config, BOOTSTRAP_ENGINEER_PASSWORD: "another-password" },
    });
    const after = await ctx.db.engineer.findUniqueOrThrow({ where: { id: row.id } });
    expect(after).toEqual({ ...row, privileges: 1 });
    await ctx.db.engineer.update({ where: { id: row.id }, data: { privileges: ALL_PRIVILEGES } });
  });

  it("logs an engineer in with a session carrying their privileges", async ({ ctx }) => {
    const res = await request(ctx.app)
      .post(`${API}/auth/engineer/login`)
      .send({ login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN, password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD });
    expect(res.status).toBe(200);
    const session = await ctx.sessions.validate("engineer", res.body.token);
    expect(session?.privileges).toBe(ALL_PRIVILEGES);
    expect(await ctx.redis.ttl(sessionKey("engineer", res.body.token))).toBeGreaterThan(3500);
  });

  it("refuses wrong passwords and unknown logins alike with 401", async ({
    f: { createEngineer, login },
  }) => {
    // Unique logins: failure counters live in the shared Redis and must not leak into other tests.
    const target = await createEngineer(`wrong-pw-${randomUUID().slice(0, 8)}`, []);
    const wrong = await login(target.login, "nope");
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: "Invalid credentials" });
    const unknown = await login(`nobody-${randomUUID().slice(0, 8)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ detail: "Invalid credentials" });
  });

  it("rate-limits failed logins per login and address with 429", async ({
    ctx,
    f: { createEngineer, login },
  }) => {
    const target = await createEngineer(`limited-${randomUUID().slice(0, 8)}`, []);
    for (let i = 0; i < 3; i++) expect((await login(target.login, "bad")).status).toBe(401);
    const blocked = await login(target.login);
    expect(blocked.status).toBe(429);
    expect(blocked.headers["retry-after"]).toBeDefined();
    // other logins from the same address are unaffected
    expect(
      (await login(ctx.config.BOOTSTRAP_ENGINEER_LOGIN, ctx.config.BOOTSTRAP_ENGINEER_PASSWORD)).status,
    ).toBe(200);
  });

  it("holds the limit against parallel guesses", async ({ f: { createEngineer, login } }) => {
    const target = await createEngineer(`parallel-${randomUUID().slice(0, 8)}`, []);
    const results = await Promise.all(Array.from({ length: 12 }, () => login(target.login, "bad")));
    expect(results.filter((r) => r.status === 401)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
  });

  it("answers admin routes with 401 without a valid token and 403 without the ADMIN bit", async ({
    ctx,
    f: { createEngineer, login },
  }) => {
    const none = await request(ctx.app).get(`${API}/admin/users`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: "Invalid credentials" });
    const garbage = await request(ctx.app).get(`${API}/admin/users`).set(bearer(randomUUID()));
    expect(garbage.status).toBe(401);
    const robot = await robotSession(ctx);
    expect((await request(ctx.app).get(`${API}/admin/users`).set(bearer(robot.token))).status).toBe(401);

    await createEngineer("robot-admin-only", ["ROBOT_LOGIN", "ROBOT_ADMIN"]);
    const weak = await login("robot-admin-only");
    const forbidden = await request(ctx.app).get(`${API}/admin/users`).set(bearer(weak.body.token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ detail: "Insufficient privileges" });
    // auth is checked before the body: an invalid body without a token is still 401
    const noAuthBadBody = await request(ctx.app).post(`${API}/admin/ticket`).send({ nonsense: true });
    expect(noAuthBadBody.status).toBe(401);
  });

  it("rejects duplicate logins with 409 and over-long ones with 422", async ({
    ctx,
    admin,
    f: { createEngineer },
  }) => {
    await createEngineer("twice", []);
    const again = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login: "twice", password: "whatever-pw" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "Engineer already exists" });
    const long = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login: "x".repeat(61), password: "whatever-pw" });
    expect(long.status).toBe(422);
  });

  it("replaces privileges and ends the engineer's sessions so the change applies at once", async ({
    ctx,
    admin,
    f: { createEngineer, login },
  }) => {
    const eng = await createEngineer("promoted", []);
    const before = await login("promoted");
    const put = await request(ctx.app)
      .put(`${API}/admin/engineer_privileges`)
      .set(bearer(admin))
      .send({ id: eng.id, privileges: ["ADMIN", "STORE_LOGIN"] });
    expect(put.status).toBe(200);
    expect((await ctx.db.engineer.findUniqueOrThrow({ where: { id: eng.id } })).privileges).toBe(8 | 2);
    expect((await request(ctx.app).get(`${API}/admin/users`).set(bearer(before.body.token))).status).toBe(
      401,
    );
    const after = await login("promoted");
    expect((await request(ctx.app).get(`${API}/admin/users`).set(bearer(after.body.token))).status).toBe(200);
    const missing = await request(ctx.app)
      .put(`${API}/admin/engineer_privileges`)
      .set(bearer(admin))
      .send({ id: randomUUID(), privileges: [] });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Engineer not found" });
  });

  it("opens the robot's admin function only for a card of a ROBOT_ADMIN engineer", async ({
    ctx,
    admin,
    f: { createEngineer },
  }) => {
    const robot = await robotSession(ctx);
    const withBit = await createEngineer("card-admin", ["ROBOT_ADMIN"]);
    const withoutBit = await createEngineer("card-plain", ["ROBOT_LOGIN"]);
    const setCard = (id: string, key: string | null) =>
      request(ctx.app).put(`${API}/admin/engineer/${id}/auth_card`).set(bearer(admin)).send({ key });
    expect((await setCard(withBit.id, "0xDE 0xAD 0xBE 0xEF")).status).toBe(200);
    expect((await setCard(withoutBit.id, "0x01 0x02")).status).toBe(200);
    const access = (key: string) =>
      request(ctx.app).post(`${API}/robot/engineer/admin_access`).set(bearer(robot.token)).send({ key });
    const ok = await access("0xDE 0xAD 0xBE 0xEF");
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ login: "card-admin", id: withBit.id });
    const denied = await access("0x01 0x02");
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: "Access denied" });
    expect((await access("0xFF")).status).toBe(403);
    // An empty or blank key is just another unknown card (reference 3.2.6), not a validation error.
    for (const key of ["", "   "]) expect((await access(key)).body).toEqual({ detail: "Access denied" });
    expect((await access("")).status).toBe(403);

    const taken = await setCard(withoutBit.id, "0xDE 0xAD 0xBE 0xEF");
    expect(taken.status).toBe(409);
    expect((await setCard(withBit.id, null)).status).toBe(200);
    expect((await access("0xDE 0xAD 0xBE 0xEF")).status).toBe(403);
    expect((await setCard(randomUUID(), "0x99")).status).toBe(404);
    expect((await setCard("not-a-uuid", "0x99")).status).toBe(422);
  });

  it("deletes an engineer who owns a card (the reference crashed) and ends their sessions", async ({
    ctx,
    admin,
    f: { createEngineer, login },
  }) => {
    const eng = await createEngineer("leaving", ["ADMIN"]);
    await request(ctx.app)
      .put(`${API}/admin/engineer/${eng.id}/auth_card`)
      .set(bearer(admin))
      .send({ key: "0xAA" });
    const session = await login("leaving");
    const del = await request(ctx.app).delete(`${API}/admin/engineers/${eng.id}`).set(bearer(admin));
    expect(del.status).toBe(200);
    expect(await ctx.db.authCard.count({ where: { engineerId: eng.id } })).toBe(0);
    expect((await request(ctx.app).get(`${API}/admin/users`).set(bearer(session.body.token))).status).toBe(
      401,
    );
    const again = await request(ctx.app).delete(`${API}/admin/engineers/${eng.id}`).set(bearer(admin));
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: "Engineer not found" });
  });

  it("lists engineers without password hashes", async ({ ctx, admin }) => {
    const res = await request(ctx.app).get(`${API}/admin/engineers?page=1&size=2`).set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body.size).toBe(2);
    expect(res.body.items).toHaveLength(2);
    expect(Object.keys(res.body.items[0]).sort()).toEqual(["id", "login"]);
    expect((await request(ctx.app).get(`${API}/admin/engineers?size=101`).set(bearer(admin))).status).toBe(
      422,
    );
  });
});
