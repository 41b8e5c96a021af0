import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import request from "supertest";
import { describe, expect } from "vitest";
import { HttpError } from "@rail/common";
import { ownRedis, test } from "../../test/fixtures.js";
import { API } from "../../test/helpers.js";
import { ChallengeStore } from "./challenges.js";

/** The file's app and a Redis client of its own for the limiter under test. */
const it = test.extend<{ redis: Redis }>({
  redis: ownRedis,
});

describe("robot and terminal challenge requests are limited per client address", () => {
  it("admits a number of requests per minute from one address, then 429 with Retry-After; others unaffected", async ({
    redis,
  }) => {
    const store = new ChallengeStore(redis, 30, 5, 3);
    const ip = randomUUID();
    for (let i = 0; i < 3; i++) await store.admit(ip);
    const refused = await store.admit(ip).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(429);
    expect(Number((refused as HttpError).headers["Retry-After"])).toBeGreaterThan(0);
    await store.admit(randomUUID());
  });

  it("counts challenge requests and answers of the service per address (default 120 a minute)", async ({
    ctx,
  }) => {
    const ip = `203.0.113.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      const path = i % 2 === 0 ? "/auth/robot/login" : "/auth/robot/login_code";
      const body = i % 2 === 0 ? { id: randomUUID() } : { request_id: randomUUID(), data: "x" };
      // The test client connects from loopback, a trusted proxy hop, so X-Forwarded-For names the client here.
      const res = await request(ctx.app).post(`${API}${path}`).set("X-Forwarded-For", ip).send(body);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 120).filter((s) => s === 429)).toEqual([]);
    expect(statuses[120]).toBe(429);
  });
});
