import path from "node:path";
import { fileURLToPath } from "node:url";
import { runMain } from "@rail/common";
import { prepareApiService } from "@rail/common/bootstrap";
import { buildApp, createFaceService } from "./app.js";
import { readConfig } from "./config.js";
import { createDb } from "./db.js";
import { InferencePool } from "./inference/inference.pool.js";
import { FaceVectorStore } from "./vectors/face-vectors.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

runMain(async () => {
  const config = readConfig();
  const { logger, db, redis, sessions, serve } = await prepareApiService({
    name: "face",
    serviceDir: SERVICE_DIR,
    config,
    createDb,
  });
  const inference = new InferencePool({
    size: config.FACE_WORKERS,
    minConfidence: config.FACE_MIN_CONFIDENCE,
    maxFaces: 20,
    tinyInputSize: config.FACE_TINY_INPUT_SIZE,
    descriptor: { alignment: config.FACE_DESCRIPTOR_ALIGNMENT, mirror: config.FACE_DESCRIPTOR_MIRROR },
    maxQueue: config.FACE_MAX_QUEUE,
    logger,
  });
  const vectors = new FaceVectorStore(config.CHROMA_URL, config.FACE_COLLECTION);
  const deps = { config, db, redis, logger, sessions, inference, vectors };
  const faces = createFaceService(deps);
  const app = buildApp(deps, faces);

  // Serve health right away; /ready turns true once the models are loaded and warmed up.
  if (config.FACE_INFERENCE_ENABLED) {
    const started = Date.now();
    inference.start().then(
      () => logger.info({ workers: config.FACE_WORKERS, ms: Date.now() - started }, "face models loaded"),
      (err: unknown) => {
        logger.fatal({ err }, "face models failed to load");
        process.exitCode = 1;
        process.kill(process.pid, "SIGTERM");
      },
    );
  }
  // Finish whatever a previous crash interrupted, then keep checking.
  faces.repair().catch((err: unknown) => logger.warn({ err }, "face repair failed; will retry"));
  const repairTimer =
    config.FACE_REPAIR_INTERVAL_SECONDS > 0
      ? setInterval(() => {
          faces.repair().catch((err: unknown) => logger.warn({ err }, "face repair failed; will retry"));
        }, config.FACE_REPAIR_INTERVAL_SECONDS * 1000)
      : undefined;
  repairTimer?.unref();

  await serve(app, async () => {
    clearInterval(repairTimer);
    await inference.close();
  });
});
