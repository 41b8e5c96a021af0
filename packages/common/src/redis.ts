import { Redis } from "ioredis";
import type { Logger } from "pino";

/** Every command fails within this when Redis does not answer (503 "Redis unavailable", never a long wait). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

/**
 * The services' Redis client. It fails fast while Redis is down (no offline queue: a command errors at once
 * instead of waiting for a reconnect; one retry; a command timeout) and reconnects by itself within ~1 s of Redis
 * returning, so requests answer 503 during an outage and work again afterwards without a restart.
 */
export function createRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    lazyConnect: false,
    // Commands issued in the same tick go out in one write (e.g. the live events of one purchase batch, or the
    // session reads of requests parsed together): fewer syscalls on the hot paths.
    enableAutoPipelining: true,
  });
  let down = false;
  redis.on("error", (err) => {
    // One line per outage, not one per reconnect attempt.
    if (!down) logger?.warn({ err: err.message }, "redis error");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger?.info("redis reconnected");
    down = false;
  });
  return redis;
}

/** Resolves once the client is connected, or after `timeoutMs` (the service starts anyway; /ready tells). */
export async function redisConnected(redis: Redis, timeoutMs = 5_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    }
    redis.once("ready", done);
  });
}
