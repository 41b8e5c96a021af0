import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { pino } from "pino";
import { SessionStore, createLogger } from "@rail/common";
import { createTestDatabase, type TestDatabase } from "@rail/common/testing";
import { buildApp, createFaceService, type Deps } from "../src/app.js";
import { readConfig } from "../src/config.js";
import { createDb } from "../src/db.js";
import type { FaceService } from "../src/faces/faces.service.js";
import { InferencePool } from "../src/inference/inference.pool.js";
import { FaceVectorStore } from "../src/vectors/face-vectors.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface TestContext extends Deps {
  app: ReturnType<typeof buildApp>;
  faces: FaceService;
  database: TestDatabase;
  /** `Authorization` header value carrying the internal service token. */
  serviceAuth: string;
  close: () => Promise<void>;
}

/**
 * A face service app over its own fresh database, its own Chroma collection (so test files run in parallel)
 * and the stack's real Redis. Models are loaded (one worker unless FACE_WORKERS is overridden) unless
 * FACE_INFERENCE_ENABLED is "false". One per test file.
 */
export async function createTestContext(overrides: Partial<NodeJS.ProcessEnv> = {}): Promise<TestContext> {
  const env = {
    ...process.env,
    DATABASE_URL: process.env.FACE_DATABASE_URL,
    PORT: "0",
    FACE_WORKERS: "1",
    FACE_REPAIR_INTERVAL_SECONDS: "0",
    FACE_COLLECTION: `faces_test_${randomBytes(5).toString("hex")}`,
    ...overrides,
  };
  const database = await createTestDatabase({ serviceDir: SERVICE_DIR, databaseUrl: env.DATABASE_URL! });
  const config = readConfig({ ...env, DATABASE_URL: database.url });
  const logger = createLogger("face-test", config.LOG_LEVEL);
  const db = createDb(database.url);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const sessions = new SessionStore(redis, config.SESSION_TTL_SECONDS);
  const inference = new InferencePool({
    size: config.FACE_WORKERS,
    minConfidence: config.FACE_MIN_CONFIDENCE,
    maxFaces: 20,
    tinyInputSize: config.FACE_TINY_INPUT_SIZE,
    maxQueue: config.FACE_MAX_QUEUE,
    logger: pino({ level: "silent" }),
  });
  if (config.FACE_INFERENCE_ENABLED) await inference.start();
  const vectors = new FaceVectorStore(config.CHROMA_URL, config.FACE_COLLECTION);
  const deps: Deps = { config, db, redis, logger, sessions, inference, vectors };
  const faces = createFaceService(deps);
  return {
    ...deps,
    faces,
    app: buildApp(deps, faces),
    database,
    serviceAuth: `Bearer ${config.INTERNAL_SERVICE_TOKEN}`,
    close: async () => {
      await inference.close();
      await vectors.dropCollection();
      await db.$disconnect();
      redis.disconnect();
      await database.drop();
    },
  };
}
