import { createHash, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import request from "supertest";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Privilege, engineerGuard, sessionGuard } from "./auth.js";
import { errorHandler } from "./errors.js";
import { SessionStore, sessionKey } from "./sessions.js";

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
});
