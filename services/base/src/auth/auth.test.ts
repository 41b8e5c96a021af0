import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { Redis } from "ioredis";
import { SessionStore, sessionKey } from "@rail/common";
import { buildApp } from "../app.js";
import { testWithServicesAndEnv, type TestContext } from "../../test/fixtures.js";
import {
  API,
  adminToken,
  bearer,
  loginClient,
  newRsaClient,
  robotSession,
  knownStore,
  solveChallenge,
} from "../../test/helpers.js";

const storeId = randomUUID();

const helpers = (ctx: TestContext) => ({
  enrol: (body: Record<string, unknown>) => request(ctx.app).post(`${API}/auth/robot/new_login`).send(body),
  engineer: () => ({
    login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
    password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
  }),
});

/** The file's app (3 free login failures) with a stub store service knowing `storeId`, and the admin's token. */
const it = testWithServicesAndEnv({ LOGIN_MAX_FAILURES: "3" }).extend<{
  admin: string;
  f: ReturnType<typeof helpers>;
}>({
  admin: [
    async ({ ctx, store }, use) => {
      store.handler = knownStore(storeId, "RESTAURANT");
      await use(await adminToken(ctx));
    },
    { scope: "file" },
  ],
  f: async ({ ctx }, use) => use(helpers(ctx)),
});

describe("robot and store-terminal authentication", () => {
  it("enrols a robot with a real RSA key and logs it in through the OAEP challenge", async ({
    ctx,
    f: { enrol, engineer },
  }) => {
    const client = newRsaClient();
    const res = await enrol({
      ...engineer(),
      public_key: client.publicKey,
      robot_model_id: "R-1",
      robot_model_name: "Robot 1",
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      robot_model_id: "R-1",
      robot_model_name: "Robot 1",
    });

    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: res.body.id });
    expect(challenge.status).toBe(200);
    expect(challenge.body.data).toHaveLength(344);
    const plaintext = solveChallenge(client, challenge.body.data);
    expect(plaintext).toMatch(/^[A-Za-z0-9!@#$%^&*()]{100}$/);

    const login = await request(ctx.app)
      .post(`${API}/auth/robot/login_code`)
      .send({ request_id: challenge.body.request_id, data: plaintext });
    expect(login.status).toBe(200);
    const me = await request(ctx.app).get(`${API}/robot/user/${randomUUID()}`).set(bearer(login.body.token));
    expect(me.status).toBe(404); // authenticated: the user simply does not exist
    const anonymous = await request(ctx.app).get(`${API}/robot/user/${randomUUID()}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ detail: "Invalid credentials" });
  });

  it("rejects enrolment with wrong engineer credentials (401), without ROBOT_LOGIN (403), and repeated failures (429)", async ({
    ctx,
    admin,
    f: { enrol },
  }) => {
    // A unique login: failure counters live in the shared Redis.
    const login = `store-only-${randomUUID().slice(0, 8)}`;
    const created = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: "store-only-pw", privileges: ["STORE_LOGIN"] });
    expect(created.status).toBe(200);
    const body = { public_key: newRsaClient().publicKey, robot_model_id: "R-2", robot_model_name: "Robot 2" };
    const weak = await enrol({ ...body, login, password: "store-only-pw" });
    expect(weak.status).toBe(403);
    expect(weak.body).toEqual({ detail: "Insufficient privileges" });
    for (let i = 0; i < 3; i++) {
      const wrong = await enrol({ ...body, login, password: "wrong" });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ detail: "Invalid credentials" });
    }
    const blocked = await enrol({ ...body, login, password: "store-only-pw" });
    expect(blocked.status).toBe(429);
  });

  it("rejects a public key that is not an RSA key of at least 2048 bits with 422", async ({
    f: { enrol, engineer },
  }) => {
    const res = await enrol({
      ...engineer(),
      public_key: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      robot_model_id: "R-3",
      robot_model_name: "x",
    });
    expect(res.status).toBe(422);
    expect(res.body.detail[0].loc).toEqual(["body", "public_key"]);
  });

  it("answers unknown and malformed ids with a decoy shaped like a real challenge", async ({ ctx }) => {
    const { robotId } = await robotSession(ctx);
    const real = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    for (const id of [randomUUID(), "not-a-uuid"]) {
      const decoy = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id });
      expect(decoy.status).toBe(200);
      expect(decoy.body.data).toHaveLength(real.body.data.length);
      expect(decoy.body.data).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(decoy.body.request_id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      const answer = await request(ctx.app)
        .post(`${API}/auth/robot/login_code`)
        .send({ request_id: decoy.body.request_id, data: "x" });
      expect(answer.status).toBe(401);
    }
  });

  it("consumes a challenge once: a replayed answer is refused", async ({ ctx }) => {
    const { robotId, client } = await robotSession(ctx);
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    const answer = {
      request_id: challenge.body.request_id,
      data: solveChallenge(client, challenge.body.data),
    };
    expect((await request(ctx.app).post(`${API}/auth/robot/login_code`).send(answer)).status).toBe(200);
    const replay = await request(ctx.app).post(`${API}/auth/robot/login_code`).send(answer);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: "Invalid credentials" });
  });

  it("gives exactly one session when the right answer arrives concurrently", async ({ ctx }) => {
    const { robotId, client } = await robotSession(ctx);
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    const answer = {
      request_id: challenge.body.request_id,
      data: solveChallenge(client, challenge.body.data),
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => request(ctx.app).post(`${API}/auth/robot/login_code`).send(answer)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(9);
  });

  it("discards a challenge after too many wrong answers", async ({ ctx }) => {
    const { robotId, client } = await robotSession(ctx);
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    for (let i = 0; i < ctx.config.CHALLENGE_MAX_ATTEMPTS; i++) {
      const wrong = await request(ctx.app)
        .post(`${API}/auth/robot/login_code`)
        .send({ request_id: challenge.body.request_id, data: "guess" });
      expect(wrong.status).toBe(401);
    }
    const right = await request(ctx.app)
      .post(`${API}/auth/robot/login_code`)
      .send({ request_id: challenge.body.request_id, data: solveChallenge(client, challenge.body.data) });
    expect(right.status).toBe(401);
  });

  it("stores challenges with a 30 s expiry and refuses them once expired", async ({ ctx }) => {
    const { robotId, client } = await robotSession(ctx);
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    const key = `challenge:robot:${challenge.body.request_id}`;
    const ttl = await ctx.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    // Let Redis expire it now instead of waiting 30 s.
    await ctx.redis.pexpire(key, 1);
    while (await ctx.redis.exists(key)) await new Promise((r) => setImmediate(r));
    const late = await request(ctx.app)
      .post(`${API}/auth/robot/login_code`)
      .send({ request_id: challenge.body.request_id, data: solveChallenge(client, challenge.body.data) });
    expect(late.status).toBe(401);
  });

  it("revokes a robot's sessions when it is deleted", async ({ ctx, admin }) => {
    const { robotId, token } = await robotSession(ctx);
    const probe = () => request(ctx.app).get(`${API}/robot/user/${randomUUID()}`).set(bearer(token));
    expect((await probe()).status).toBe(404);
    const del = await request(ctx.app).delete(`${API}/admin/robots/${robotId}`).set(bearer(admin));
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ status: "OK" });
    expect((await probe()).status).toBe(401);
    // and it can no longer log in: its key is gone
    const challenge = await request(ctx.app).post(`${API}/auth/robot/login`).send({ id: robotId });
    expect(challenge.status).toBe(200);
    expect(await ctx.redis.exists(`challenge:robot:${challenge.body.request_id}`)).toBe(0);
  });

  it("a robot deleted through one base process loses access at once in another that caches sessions", async ({
    ctx,
    admin,
  }) => {
    // A second base process over the same database and Redis, answering sessions from memory for up to 60 s:
    // only the revocation published over Redis can make it refuse the deleted robot's token within the test.
    const redis = new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 1 });
    const sessions = new SessionStore(redis, ctx.config.SESSION_TTL_SECONDS);
    await sessions.enableCache({ maxAgeMs: 60_000 });
    try {
      const other = buildApp({ ...ctx, redis, sessions });
      const { robotId, token } = await robotSession(ctx);
      const probe = () => request(other).get(`${API}/robot/user/${randomUUID()}`).set(bearer(token));
      expect((await probe()).status).toBe(404);
      expect((await probe()).status).toBe(404); // now from memory
      const del = await request(ctx.app).delete(`${API}/admin/robots/${robotId}`).set(bearer(admin));
      expect(del.status).toBe(200);
      const started = Date.now();
      while ((await probe()).status !== 401) {
        expect(Date.now() - started).toBeLessThan(1_000);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await sessions.close();
      redis.disconnect();
    }
  });

  it("revokes the replaced robot's sessions when the model id is re-enrolled", async ({ ctx, admin }) => {
    const first = await robotSession(ctx, "R-replace");
    const second = await robotSession(ctx, "R-replace");
    expect(second.robotId).not.toBe(first.robotId);
    const probe = (token: string) =>
      request(ctx.app).get(`${API}/robot/user/${randomUUID()}`).set(bearer(token));
    expect((await probe(first.token)).status).toBe(401);
    expect((await probe(second.token)).status).toBe(404);
    const robots = await request(ctx.app).get(`${API}/admin/robots`).set(bearer(admin));
    expect(
      robots.body.items.filter((r: { robot_model_id: string }) => r.robot_model_id === "R-replace"),
    ).toHaveLength(1);
  });

  it("keeps one robot per model id when enrolments of that id race", async ({ ctx, admin, f: { enrol } }) => {
    // Its own engineer: attempts are counted per login in the shared Redis, and other test files log in as admin.
    const login = `racer-${randomUUID().slice(0, 8)}`;
    await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: "racer-password", privileges: ["ROBOT_LOGIN"] })
      .expect(200);
    const results = await Promise.all(
      Array.from({ length: 3 }, () =>
        enrol({
          login,
          password: "racer-password",
          public_key: newRsaClient().publicKey,
          robot_model_id: "R-race",
          robot_model_name: "Race",
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await ctx.db.robot.count({ where: { robotModelId: "R-race" } })).toBe(1);
  });

  it("enrols a store terminal for a store the store service knows and logs it in", async ({
    ctx,
    admin,
    store,
    f: { engineer },
  }) => {
    const client = newRsaClient();
    const res = await request(ctx.app)
      .post(`${API}/auth/store/new_login`)
      .send({ ...engineer(), public_key: client.publicKey, store_id: storeId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: storeId, name: "Buffet", store_type: "RESTAURANT", items: [] });
    expect(store.calls.at(-1)?.authorization).toBe(`Bearer ${ctx.config.INTERNAL_SERVICE_TOKEN}`);
    const token = await loginClient(ctx, "store", storeId, client);
    expect(await ctx.sessions.validate("store", token)).toMatchObject({ subject: storeId });
    // a store token is not a robot token
    expect(await ctx.sessions.validate("robot", token)).toBeNull();
    // forgetting the terminal ends its sessions and its key
    const forget = await request(ctx.app)
      .delete(`${API}/admin/store_terminals/${storeId}`)
      .set(bearer(admin));
    expect(forget.status).toBe(200);
    expect(await ctx.sessions.validate("store", token)).toBeNull();
    const challenge = await request(ctx.app).post(`${API}/auth/store/login`).send({ id: storeId });
    expect(await ctx.redis.exists(`challenge:store:${challenge.body.request_id}`)).toBe(0);
  });

  it("answers 404 for a store the store service does not know (the reference crashed)", async ({
    ctx,
    f: { engineer },
  }) => {
    const res = await request(ctx.app)
      .post(`${API}/auth/store/new_login`)
      .send({ ...engineer(), public_key: newRsaClient().publicKey, store_id: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Store not found" });
  });

  it("answers 503 when the store service is down during terminal enrolment", async ({
    ctx,
    store,
    f: { engineer },
  }) => {
    store.handler = () => ({ status: 500, body: { detail: "boom" } });
    try {
      const res = await request(ctx.app)
        .post(`${API}/auth/store/new_login`)
        .send({ ...engineer(), public_key: newRsaClient().publicKey, store_id: storeId });
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ detail: "Store service unavailable" });
    } finally {
      store.handler = knownStore(storeId, "RESTAURANT");
    }
  });

  it("slides the session expiry on every authenticated request", async ({ ctx }) => {
    const { token } = await robotSession(ctx);
    await ctx.redis.expire(sessionKey("robot", token), 100);
    await request(ctx.app).get(`${API}/robot/user/${randomUUID()}`).set(bearer(token));
    expect(await ctx.redis.ttl(sessionKey("robot", token))).toBeGreaterThan(3500);
  });
});
