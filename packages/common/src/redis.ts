import { Redis } from "ioredis";
import type { Logger } from "pino";

export function createRedis(url: string, logger?: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  redis.on("error", (err) => logger?.warn({ err: err.message }, "redis error"));
  return redis;
}
