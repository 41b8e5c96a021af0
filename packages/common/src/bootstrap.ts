import type { Express } from "express";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { createLogger } from "./logger.js";
import { applyMigrations } from "./prisma.js";
import { createRedis, redisConnected } from "./redis.js";
import { startServer, type RunningServer } from "./server.js";
import { DEFAULT_SESSION_CACHE_MS, SessionStore } from "./sessions.js";

/** The configuration every API service with a database and sessions reads. */
export interface ApiServiceConfig {
  PORT: number;
  HOST: string;
  LOG_LEVEL: string;
  DATABASE_URL: string;
  REDIS_URL: string;
  SESSION_TTL_SECONDS: number;
  /** How long a validated session is answered from memory (0: every request asks Redis); see SessionStore. */
  SESSION_CACHE_MS?: number;
  NODE_ENV: string;
  /** Unset: apply pending migrations on start in development only (production migrates as a deploy step). */
  MIGRATE_ON_START?: boolean | undefined;
}

export interface ApiServiceRuntime<Db> {
  logger: Logger;
  db: Db;
  redis: Redis;
  sessions: SessionStore;
  /** Listens with graceful shutdown; `onShutdown` runs before the database and Redis are released. */
  serve: (app: Express, onShutdown?: () => Promise<void>) => Promise<RunningServer>;
}

/**
 * The start-up sequence shared by base, store and face: logger, migrations (dev), database, Redis, sessions,
 * and a `serve` that releases them on SIGTERM.
 */
export async function prepareApiService<Db extends { $disconnect(): Promise<void> }>(opts: {
  name: string;
  serviceDir: string;
  config: ApiServiceConfig;
  createDb: (databaseUrl: string) => Db;
}): Promise<ApiServiceRuntime<Db>> {
  const { config } = opts;
  const logger = createLogger(opts.name, config.LOG_LEVEL);
  if (config.MIGRATE_ON_START ?? config.NODE_ENV === "development") {
    logger.info("applying pending migrations");
    await applyMigrations(opts.serviceDir, config.DATABASE_URL);
  }
  const db = opts.createDb(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, logger);
  // Commands fail at once while disconnected (no offline queue): let the first connection come up before serving.
  await redisConnected(redis);
  const sessions = new SessionStore(redis, config.SESSION_TTL_SECONDS);
  // Revocations reach the cache over Redis pub/sub at once; SESSION_CACHE_MS bounds it if one ever could not.
  const cacheMs = config.SESSION_CACHE_MS ?? DEFAULT_SESSION_CACHE_MS;
  if (cacheMs > 0) await sessions.enableCache({ maxAgeMs: cacheMs });
  return {
    logger,
    db,
    redis,
    sessions,
    serve: (app, onShutdown) =>
      startServer({
        app,
        port: config.PORT,
        host: config.HOST,
        logger,
        onShutdown: async () => {
          await onShutdown?.();
          await db.$disconnect();
          await sessions.close();
          redis.disconnect();
        },
      }),
  };
}
