import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import request from "supertest";
import { describe, expect } from "vitest";
import { HttpError } from "@rail/common";
import { ownRedis, testWithEnv } from "../../test/fixtures.js";
import { API, bearer, adminToken } from "../../test/helpers.js";
import { LoginAttempts } from "./login-attempts.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The file's app (3 free failures per login) and a Redis client of its own for the limiter under test. */
const it = testWithEnv({ LOGIN_MAX_FAILURES: "3" }).extend<{ redis: Redis }>({
  redis: ownRedis,
});

describe("engineer login limits (OWASP: progressive delay, per address, bounded hashing)", () => {
  /** The status of one attempt, its Retry-After and how long it took. */
  const attempt = async (limits: LoginAttempts, login: string, ip: string, ok: boolean, ms = 0) => {
    const started = Date.now();
    try {
      await limits.attempt(login, ip, async () => {
        await sleep(ms);
        return ok ? { login } : null;
      });
      return { status: 200, retryAfter: undefined, ms: Date.now() - started };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { status: err.status, retryAfter: err.headers["Retry-After"], ms: Date.now() - started };
    }
  };

  it("delays the right password briefly after failures instead of locking it out", async ({ ctx }) => {
    const login = unique("victim");
    const admin = await adminToken(ctx);
    const created = await request(ctx.app)
      .post(`${API}/admin/engineer`)
      .set(bearer(admin))
      .send({ login, password: "right-password", privileges: [] });
    expect(created.status).toBe(200);
    // An address of its own (the test client is a trusted loopback hop): other tests' failures do not count.
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    const tryLogin = (password: string) =>
      request(ctx.app)
        .post(`${API}/auth/engineer/login`)
        .set("X-Forwarded-For", ip)
        .send({ login, password });
    for (let i = 0; i < 3; i++) expect((await tryLogin("wrong")).status).toBe(401);
    const delayed = await tryLogin("right-password");
    expect(delayed.status).toBe(429);
    expect(Number(delayed.headers["retry-after"])).toBeLessThanOrEqual(1);
    await sleep(1_100);
    expect((await tryLogin("right-password")).status).toBe(200);
  });

  it("doubles the delay with each further failure up to the maximum", async ({ redis }) => {
    const limits = new LoginAttempts(redis, 1, 900, { maxDelaySeconds: 2 });
    const login = unique("slow");
    const seen: (string | undefined)[] = [];
    for (let round = 0; round < 4; round++) {
      expect((await attempt(limits, login, `10.0.0.${round}`, false)).status).toBe(401);
      const refused = await attempt(limits, login, "10.9.9.9", true);
      expect(refused.status).toBe(429);
      seen.push(refused.retryAfter);
      await sleep(Number(refused.retryAfter) * 1000 + 50);
    }
    expect(seen).toEqual(["1", "2", "2", "2"]);
    expect((await attempt(limits, login, "10.9.9.9", true)).status).toBe(200);
  });

  it("limits failures per client address across logins (password spraying), not other addresses", async ({
    redis,
  }) => {
    const limits = new LoginAttempts(redis, 3, 900, { failuresPerAddress: 5 });
    const sprayer = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    for (let i = 0; i < 5; i++)
      expect((await attempt(limits, unique("spray"), sprayer, false)).status).toBe(401);
    const blocked = await attempt(limits, unique("spray"), sprayer, true);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await attempt(limits, unique("spray"), randomUUID(), false)).status).toBe(401);
  });

  it("runs a bounded number of password checks at once and refuses the excess at once with 503", async ({
    redis,
  }) => {
    const limits = new LoginAttempts(redis, 3, 900, { concurrentChecks: 1, queuedChecks: 1 });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => attempt(limits, unique("flood"), randomUUID(), false, 300)),
    );
    const refused = results.filter((r) => r.status === 503);
    expect(results.filter((r) => r.status === 401)).toHaveLength(2);
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r.ms).toBeLessThan(200);
  });
});
