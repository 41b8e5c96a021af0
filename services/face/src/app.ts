import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  ApiRouter,
  createServiceApp,
  postgresCheck,
  redisCheck,
  type ReadinessCheck,
  type SessionStore,
} from "@rail/common";
import { Registry } from "prom-client";
import type { Config } from "./config.js";
import type { Db } from "./db.js";
import { FaceRepository } from "./faces/faces.repository.js";
import { faceRoutes } from "./faces/faces.routes.js";
import { FaceService } from "./faces/faces.service.js";
import { registerInferenceMetrics } from "./inference/inference.metrics.js";
import type { InferencePool } from "./inference/inference.pool.js";
import type { FaceVectorStore } from "./vectors/face-vectors.js";

export const API_PREFIX = "/face_api/v1";

/** Everything the routes need, created once in main.ts (or per test file in the test fixture). */
export interface Deps {
  config: Config;
  db: Db;
  redis: Redis;
  logger: Logger;
  sessions: SessionStore;
  inference: InferencePool;
  vectors: FaceVectorStore;
}

export function createFaceService(deps: Deps): FaceService {
  const { config } = deps;
  return new FaceService(
    new FaceRepository(deps.db),
    deps.vectors,
    deps.inference,
    {
      matchThreshold: config.FACE_MATCH_THRESHOLD,
      matchMargin: config.FACE_MATCH_MARGIN,
      duplicateThreshold: config.FACE_DUPLICATE_THRESHOLD,
      detector: config.FACE_DETECTOR,
      minEnrolSizePx: config.FACE_MIN_ENROL_SIZE_PX,
      maxInferenceSide: config.FACE_MAX_INFERENCE_SIDE,
      maxImageBytes: config.FACE_MAX_IMAGE_BYTES,
      maxExamplesPerUser: config.FACE_MAX_EXAMPLES_PER_USER,
      repairGraceSeconds: config.FACE_REPAIR_GRACE_SECONDS,
    },
    deps.logger,
  );
}

/** Ready only once every inference worker has loaded the models and warmed up. */
const modelsCheck = (inference: InferencePool): ReadinessCheck => ({
  name: "models",
  check: async () => {
    if (!inference.ready) throw new Error("face models are loading");
  },
});

export function buildApp(deps: Deps, faces: FaceService = createFaceService(deps)) {
  const api = new ApiRouter();
  api.use(
    "",
    faceRoutes(faces, {
      serviceToken: deps.config.INTERNAL_SERVICE_TOKEN,
      sessions: deps.sessions,
      maxImageBytes: deps.config.FACE_MAX_IMAGE_BYTES,
    }),
  );
  const metricsRegistry = new Registry();
  registerInferenceMetrics(metricsRegistry, deps.inference);
  return createServiceApp({
    name: "face",
    prefix: API_PREFIX,
    metricsRegistry,
    description: "Face detection, embeddings and search. Internal: service token or ADMIN engineer token.",
    logger: deps.logger,
    api,
    // Base64 images up to 10,485,760 characters, plus the JSON around them.
    jsonLimit: "11mb",
    readiness: [
      postgresCheck(() => deps.db.$queryRaw`SELECT 1`),
      redisCheck(deps.redis),
      deps.vectors.readinessCheck(),
      modelsCheck(deps.inference),
    ],
  });
}
