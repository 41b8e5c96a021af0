import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { ApiRouter, SessionStore, createServiceApp, postgresCheck, redisCheck } from "@rail/common";
import type { Config } from "./config.js";
import type { Db } from "./db.js";

export const API_PREFIX = "/base_api/v1";

/** Everything the routes need, created once in main.ts (or per test file in the test fixture). */
export interface Deps {
  config: Config;
  db: Db;
  redis: Redis;
  logger: Logger;
  sessions: SessionStore;
}

export function buildApp(deps: Deps) {
  const api = new ApiRouter();
  return createServiceApp({
    name: "base",
    prefix: API_PREFIX,
    description: "Passengers, tickets, engineers, robot and store-terminal auth, destination info, train stores.",
    logger: deps.logger,
    api,
    readiness: [postgresCheck(() => deps.db.$queryRaw`SELECT 1`), redisCheck(deps.redis)],
  });
}
