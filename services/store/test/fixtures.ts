import path from "node:path";
import { fileURLToPath } from "node:url";
import { fileFixture, prepareTestService, type TestDatabase } from "@rail/common/testing";
import { test as baseTest } from "vitest";
import { buildApp, type Deps } from "../src/app.js";
import { createAuditOutbox } from "../src/audit/audit.outbox.js";
import { readConfig } from "../src/config.js";
import { createDb } from "../src/db.js";
import { robotToken } from "./helpers.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface TestContext extends Deps {
  app: ReturnType<typeof buildApp>;
  database: TestDatabase;
  close: () => Promise<void>;
}

/** A store service app over its own fresh database and the stack's real Redis. One per test file. */
export async function createTestContext(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<TestContext> {
  const { config, db, redis, logger, sessions, database, close } = await prepareTestService({
    name: "store",
    serviceDir: SERVICE_DIR,
    readConfig,
    createDb,
    env: {
      // AUDIT_TO_BASE off: a test's admin actions on its own database are not the stack's base audit log's business.
      AUDIT_TO_BASE: "false",
      // Likewise, deleting a test's store does not ask the stack's base to drop bindings (stores.bindings.test.ts does).
      UNBIND_IN_BASE: "false",
      ...overrides,
    },
  });
  const auditOutbox = createAuditOutbox({ config, db, logger });
  auditOutbox?.start();
  const deps: Deps = { config, db, redis, logger, sessions, auditOutbox };
  return {
    ...deps,
    app: buildApp(deps),
    database,
    close: async () => {
      await auditOutbox?.stop();
      await close();
    },
  };
}

/**
 * `test` with a file-scoped `ctx` (one app and database per test file, closed after its last test), instead of
 * beforeAll/afterAll blocks: `it("...", async ({ ctx }) => ...)`.
 */
export const test = baseTest.extend<{ ctx: TestContext }>({
  ctx: fileFixture(
    () => createTestContext(),
    (ctx) => ctx.close(),
  ),
});

/** `test` with the file's `ctx` and a robot's session token in it (`robot`). */
export const testWithRobot = test.extend<{ robot: string }>({
  robot: [async ({ ctx }, use) => use(await robotToken(ctx)), { scope: "file" }],
});
