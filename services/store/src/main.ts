import path from "node:path";
import { fileURLToPath } from "node:url";
import { SessionStore, createLogger, createRedis, runMain, startServer } from "@rail/common";
import { applyMigrations } from "@rail/common/prisma";
import { buildApp } from "./app.js";
import { readConfig } from "./config.js";
import { createDb } from "./db.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

runMain(async () => {
  const config = readConfig();
  const logger = createLogger("store", config.LOG_LEVEL);
  if (config.MIGRATE_ON_START) {
    logger.info("applying pending migrations");
    await applyMigrations(SERVICE_DIR, config.DATABASE_URL);
  }
  const db = createDb(config.DATABASE_URL);
  const redis = createRedis(config.REDIS_URL, logger);
  const sessions = new SessionStore(redis, config.SESSION_TTL_SECONDS);
  const app = buildApp({ config, db, redis, logger, sessions });
  await startServer({
    app,
    port: config.PORT,
    host: config.HOST,
    logger,
    onShutdown: async () => {
      await db.$disconnect();
      redis.disconnect();
    },
  });
});
