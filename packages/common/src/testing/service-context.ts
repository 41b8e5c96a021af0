import { Redis } from "ioredis";
import type { Logger } from "pino";
import { createLogger } from "../logger.js";
import { SessionStore } from "../sessions.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

/** What every service's test context starts from (services add their own clients and build their app on it). */
export interface TestServiceRuntime<Config, Db> {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  sessions: SessionStore;
  database: TestDatabase;
  /** Releases the database connection and Redis and drops the test database. */
  close: () => Promise<void>;
}

/**
 * The test counterpart of `prepareApiService`, shared by the services' test fixtures: a fresh database cloned
 * from the service's migrated template (from `<NAME>_DATABASE_URL`), its configuration read from the test
 * environment with `env` on top (PORT 0), a logger, the stack's real Redis and a session store.
 */
export async function prepareTestService<
  Config extends { LOG_LEVEL: string; REDIS_URL: string; SESSION_TTL_SECONDS: number },
  Db extends { $disconnect(): Promise<void> },
>(opts: {
  name: string;
  serviceDir: string;
  readConfig: (env: NodeJS.ProcessEnv) => Config;
  createDb: (databaseUrl: string) => Db;
  env?: Partial<NodeJS.ProcessEnv>;
}): Promise<TestServiceRuntime<Config, Db>> {
  const env = {
    ...process.env,
    DATABASE_URL: process.env[`${opts.name.toUpperCase()}_DATABASE_URL`],
    PORT: "0",
    ...opts.env,
  };
  const database = await createTestDatabase({ serviceDir: opts.serviceDir, databaseUrl: env.DATABASE_URL! });
  const config = opts.readConfig({ ...env, DATABASE_URL: database.url });
  const logger = createLogger(`${opts.name}-test`, config.LOG_LEVEL);
  const db = opts.createDb(database.url);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const sessions = new SessionStore(redis, config.SESSION_TTL_SECONDS);
  return {
    config,
    logger,
    db,
    redis,
    sessions,
    database,
    close: async () => {
      await db.$disconnect();
      redis.disconnect();
      await database.drop();
    },
  };
}
