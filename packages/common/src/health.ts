import type { Redis } from "ioredis";
import { withTimeout } from "./timeout.js";

/** A dependency the service needs to do its work; `/ready` fails naming each one that is down. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export async function runReadinessChecks(checks: ReadinessCheck[], timeoutMs = 2000) {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      try {
        await withTimeout(check(), timeoutMs, `${name} did not answer within ${timeoutMs} ms`);
        return [name, "ok"] as const;
      } catch (err) {
        return [name, `down: ${err instanceof Error ? err.message : String(err)}`] as const;
      }
    }),
  );
  const failing = results.filter(([, status]) => status !== "ok").map(([name]) => name);
  return { ready: failing.length === 0, failing, checks: Object.fromEntries(results) };
}

export const redisCheck = (redis: Redis): ReadinessCheck => ({
  name: "redis",
  check: async () => {
    const pong = await redis.ping();
    if (pong !== "PONG") throw new Error(`unexpected reply ${pong}`);
  },
});

export const postgresCheck = (query: () => Promise<unknown>): ReadinessCheck => ({
  name: "postgres",
  check: async () => {
    await query();
  },
});
