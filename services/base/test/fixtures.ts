import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { fileFixture, prepareTestService, type TestDatabase } from "@rail/common/testing";
import { test as baseTest } from "vitest";
import { buildApp, createServiceClients, type Deps } from "../src/app.js";
import { readConfig } from "../src/config.js";
import { createDb } from "../src/db.js";
import { ensureBootstrapEngineer } from "../src/engineers/engineers.service.js";
import { startStubService, type StubService } from "./helpers.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface TestContext extends Deps {
  app: ReturnType<typeof buildApp>;
  database: TestDatabase;
  close: () => Promise<void>;
}

/**
 * A base service app over its own fresh database and the stack's real Redis, with the bootstrap engineer created.
 * One per test file. bcrypt runs at cost 4 to spare the shared CPUs.
 */
export async function createTestContext(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<TestContext> {
  const { config, db, redis, logger, sessions, database, close } = await prepareTestService({
    name: "base",
    serviceDir: SERVICE_DIR,
    readConfig,
    createDb,
    env: { BCRYPT_COST: "4", ...overrides },
  });
  const deps: Deps = { config, db, redis, logger, sessions, ...createServiceClients(config) };
  await ensureBootstrapEngineer(deps);
  return { ...deps, app: buildApp(deps), database, close };
}

/**
 * `test` with a file-scoped `ctx` (one app and database per test file, closed after its last test) whose
 * configuration reads these environment overrides (e.g. `{ LOGIN_MAX_FAILURES: "3" }`): use it in place of
 * vitest's `test`/`it` instead of beforeAll/afterAll blocks.
 */
export const testWithEnv = (overrides: Partial<NodeJS.ProcessEnv>) =>
  baseTest.extend<{ ctx: TestContext }>({
    ctx: fileFixture(
      () => createTestContext(overrides),
      (ctx) => ctx.close(),
    ),
  });

/** `test` with a file-scoped `ctx` in the default configuration. */
export const test = testWithEnv({});

/**
 * `testWithServices` with environment overrides: a file-scoped `ctx` talking to stub face and store services
 * (real HTTP servers; set `face.handler` / `store.handler` to script their answers).
 */
export const testWithServicesAndEnv = (overrides: Partial<NodeJS.ProcessEnv>) =>
  baseTest.extend<{ face: StubService; store: StubService; ctx: TestContext }>({
    face: fileFixture(startStubService, (stub) => stub.close()),
    store: fileFixture(startStubService, (stub) => stub.close()),
    ctx: [
      async ({ face, store }, use) => {
        const ctx = await createTestContext({
          FACE_API_URL: `${face.url}/face_api/v1`,
          STORE_API_URL: `${store.url}/store_api/v1`,
          ...overrides,
        });
        try {
          await use(ctx);
        } finally {
          await ctx.close();
        }
      },
      { scope: "file" },
    ],
  });

/**
 * `test` whose file-scoped `ctx` talks to stub face and store services (real HTTP servers; set `face.handler` /
 * `store.handler` to script their answers).
 */
export const testWithServices = testWithServicesAndEnv({});

/**
 * A file fixture: a Redis client of the file's own (for code under test that registers commands on its client,
 * such as the login limiters), disconnected after the file's last test. Use as `{ redis: ownRedis }` in `extend`.
 */
export const ownRedis: [
  (context: { ctx: TestContext }, use: (redis: Redis) => Promise<void>) => Promise<void>,
  { scope: "file" },
] = [
  async ({ ctx }, use) => {
    const redis = new Redis(ctx.config.REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      await use(redis);
    } finally {
      redis.disconnect();
    }
  },
  { scope: "file" },
];
