import { createHash, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import request from "supertest";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Privilege, engineerGuard, sessionGuard } from "./auth.js";
import { errorHandler } from "./errors.js";
import { SessionStore, sessionKey } from "./sessions.js";

/** Polls `check` every 5 ms until it holds; the time it took, or a failure after `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - started;
}

describe("session store (real Redis)", () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
  });
  afterAll(() => redis.disconnect());

  it("creates unguessable tokens that validate only for their kind", async () => {
    const store = new SessionStore(redis, 60);
    const robotId = randomUUID();
    const token = await store.create("robot", robotId);
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(await store.validate("robot", token)).toMatchObject({ subject: robotId });
    expect(await store.validate("store", token)).toBeNull();
    expect(await store.validate("robot", randomUUID())).toBeNull();
  });

  it("slides the expiry on every use", async () => {
    const store = new SessionStore(redis, 100);
    const token = await store.create("store", randomUUID());
    await redis.expire(sessionKey("store", token), 5);
    await store.validate("store", token);
    expect(await redis.ttl(sessionKey("store", token))).toBeGreaterThan(90);
  });

  it("keeps only a SHA-256 of the token in Redis, never the token itself", async () => {
    const store = new SessionStore(redis, 60);
    const robotId = randomUUID();
    const token = await store.create("robot", robotId);
    const hash = createHash("sha256").update(token).digest("hex");
    expect(await redis.exists(`session:robot:${token}`)).toBe(0);
    expect(await redis.exists(`session:robot:${hash}`)).toBe(1);
    expect(await redis.get(`session:robot:${hash}`)).not.toContain(token);
    expect(await redis.smembers(`session-index:robot:${robotId}`)).toEqual([hash]);
    expect(await store.validate("robot", token)).toMatchObject({ subject: robotId });
    // Knowing the stored hash is not knowing the token.
    expect(await store.validate("robot", hash)).toBeNull();
    await store.revoke("robot", token);
    expect(await store.validate("robot", token)).toBeNull();
  });

  it("keeps sessions created before hashing working, re-keyed under the hash on first use", async () => {
    const store = new SessionStore(redis, 60);
    const robotId = randomUUID();
    const token = randomUUID();
    await redis.set(`session:robot:${token}`, JSON.stringify({ subject: robotId }), "EX", 60);
    await redis.sadd(`session-index:robot:${robotId}`, token);
    expect(await store.validate("robot", token)).toMatchObject({ subject: robotId });
    expect(await redis.exists(`session:robot:${token}`)).toBe(0);
    expect(await store.validate("robot", token)).toMatchObject({ subject: robotId });
    expect(await store.revokeSubject("robot", robotId)).toBe(1);
    expect(await store.validate("robot", token)).toBeNull();
  });

  it("revokes every session of a subject", async () => {
    const store = new SessionStore(redis, 60);
    const robotId = randomUUID();
    const a = await store.create("robot", robotId);
    const b = await store.create("robot", robotId);
    const other = await store.create("robot", randomUUID());
    expect(await store.revokeSubject("robot", robotId)).toBe(2);
    expect(await store.validate("robot", a)).toBeNull();
    expect(await store.validate("robot", b)).toBeNull();
    expect(await store.validate("robot", other)).not.toBeNull();
  });

  it("guards enforce the header rule, the session kind and privilege bits", async () => {
    const store = new SessionStore(redis, 60);
    const app = express();
    const robot = sessionGuard(store, "robot");
    const admin = engineerGuard(store, Privilege.ADMIN);
    app.get("/robot", async (req, res) => res.json(await robot.authenticate(req)));
    app.get("/admin", async (req, res) => res.json(await admin.authenticate(req)));
    app.use(errorHandler);

    const robotToken = await store.create("robot", "r1");
    expect((await request(app).get("/robot").set("Authorization", `Token ${robotToken}`)).status).toBe(200);
    expect((await request(app).get("/robot").set("Authorization", robotToken)).status).toBe(401);
    expect((await request(app).get("/robot").set("Authorization", `Bearer ${robotToken} extra`)).status).toBe(
      401,
    );
    expect((await request(app).get("/admin").set("Authorization", `Bearer ${robotToken}`)).status).toBe(401);

    const weak = await store.create("engineer", "e1", { privileges: Privilege.ROBOT_LOGIN });
    const strong = await store.create("engineer", "e2", {
      privileges: Privilege.ADMIN | Privilege.ROBOT_ADMIN,
    });
    const denied = await request(app).get("/admin").set("Authorization", `Bearer ${weak}`);
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: "Insufficient privileges" });
    expect((await request(app).get("/admin").set("Authorization", `Bearer ${strong}`)).body.subject).toBe(
      "e2",
    );
  });

  describe("in-process cache (SESSION_CACHE_MS)", () => {
    // Two services: `cached` answers from memory, `other` (its own connection) revokes, as base does for store.
    let cachedRedis: Redis;
    let cached: SessionStore;
    let other: SessionStore;
    beforeAll(async () => {
      cachedRedis = new Redis(process.env.REDIS_URL!, {
        maxRetriesPerRequest: 1,
        connectionName: `sessions-test-${randomUUID()}`,
      });
      cached = new SessionStore(cachedRedis, 60);
      await cached.enableCache({ maxAgeMs: 60_000 });
      other = new SessionStore(redis, 60);
    });
    afterAll(async () => {
      await cached.close();
      cachedRedis.disconnect();
    });

    it("answers a validated session from memory: Redis is not asked again within the max age", async () => {
      const token = await other.create("robot", randomUUID());
      expect(await cached.validate("robot", token)).not.toBeNull();
      // Deleted behind the stores' back (no revocation): only the memory can still answer.
      await redis.del(sessionKey("robot", token));
      expect(await cached.validate("robot", token)).not.toBeNull();
      expect(await other.validate("robot", token)).toBeNull();
    });

    it("a revocation by another process reaches the cache at once (well before the 60 s max age)", async () => {
      const token = await other.create("robot", randomUUID());
      expect(await cached.validate("robot", token)).not.toBeNull();
      await other.revoke("robot", token);
      const ms = await within(500, async () => (await cached.validate("robot", token)) === null);
      expect(ms).toBeLessThan(500);
    });

    it("revoking a subject elsewhere drops all its cached sessions, and no other", async () => {
      const robotId = randomUUID();
      const [a, b] = [await other.create("robot", robotId), await other.create("robot", robotId)];
      const unrelated = await other.create("robot", randomUUID());
      for (const t of [a, b, unrelated]) expect(await cached.validate("robot", t)).not.toBeNull();
      expect(await other.revokeSubject("robot", robotId)).toBe(2);
      await within(500, async () => (await cached.validate("robot", a)) === null);
      expect(await cached.validate("robot", b)).toBeNull();
      expect(await cached.validate("robot", unrelated)).not.toBeNull();
    });

    it("a revocation in the same process is effective immediately", async () => {
      const token = await cached.create("store", randomUUID());
      expect(await cached.validate("store", token)).not.toBeNull();
      await cached.revoke("store", token);
      expect(await cached.validate("store", token)).toBeNull();
    });

    it("the max age bounds how long a session is answered from memory", async () => {
      const short = new SessionStore(cachedRedis, 60);
      await short.enableCache({ maxAgeMs: 150 });
      try {
        const token = await other.create("robot", randomUUID());
        expect(await short.validate("robot", token)).not.toBeNull();
        await redis.del(sessionKey("robot", token));
        expect(await short.validate("robot", token)).not.toBeNull();
        await new Promise((r) => setTimeout(r, 200));
        expect(await short.validate("robot", token)).toBeNull();
      } finally {
        await short.close();
      }
    });

    it("without its subscription the cache is bypassed (a revocation it cannot hear is not overlooked)", async () => {
      const token = await other.create("robot", randomUUID());
      expect(await cached.validate("robot", token)).not.toBeNull();
      const name = `${cachedRedis.options.connectionName}:session-revocations`;
      const clients = String(await redis.call("CLIENT", "LIST", "TYPE", "pubsub"));
      const id = /id=(\d+) .*name=(\S+)/g;
      const mine = [...clients.matchAll(id)].find((m) => m[2] === name)?.[1];
      expect(mine).toBeDefined();
      await redis.client("KILL", "ID", mine!);
      // Deleted while the subscriber is away: a message about it would have been lost.
      await redis.del(sessionKey("robot", token));
      await within(500, async () => (await cached.validate("robot", token)) === null);
      // Subscribed again after the reconnect, the cache works again.
      const fresh = await other.create("robot", randomUUID());
      await within(3_000, async () => {
        await cached.validate("robot", fresh);
        await redis.del(sessionKey("robot", fresh));
        const answered = (await cached.validate("robot", fresh)) !== null;
        if (!answered)
          await redis.set(sessionKey("robot", fresh), JSON.stringify({ subject: "x" }), "EX", 60);
        return answered;
      });
    });
  });
});
