import { z } from "zod";
import { baseServiceEnv, env, loadConfig } from "@rail/common";

const fraction = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);

export const configSchema = z.object({
  ...baseServiceEnv,
  PORT: env.port(8003),
  DATABASE_URL: z.url(),
  REDIS_URL: z.url(),
  SESSION_TTL_SECONDS: env.int(3600),
  MIGRATE_ON_START: env.optionalBool(),
  INTERNAL_SERVICE_TOKEN: z.string().min(16),
  CHROMA_URL: z.url(),
  /** Chroma collection holding one record per enrolled face example (tests use one per test file). */
  FACE_COLLECTION: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9]$/)
    .default("faces_v1"),
  /** Inference threads; each holds its own copy of the models (~30 MB). */
  FACE_WORKERS: env.int(2).pipe(z.number().int().min(1).max(16)),
  /** Images allowed to wait for a worker; more concurrent requests get 503 instead of piling up in memory. */
  FACE_MAX_QUEUE: env.int(32).pipe(z.number().int().min(1)),
  /**
   * Cosine distance (between L2-normalised 128-d descriptors) at or below which two faces are the same person.
   * Chosen with bench/accuracy.ts on real photos of the same people as a train camera sees them (README).
   * Above 0.2 practically everyone matches everyone, so larger values are refused.
   */
  FACE_MATCH_THRESHOLD: z.coerce
    .number()
    .gt(0)
    .max(0.2, "above 0.2 this model matches different people; see services/face/README.md")
    .default(0.045),
  /**
   * 1:N searches accept the nearest user only when the next-best other user is at least this much farther
   * away, so look-alikes are refused rather than confused (README, bench/accuracy.ts).
   */
  FACE_MATCH_MARGIN: z.coerce.number().min(0).max(0.2).default(0.01),
  /** Enrolment refuses (409 `User already exists`) a face this close to another user's example. */
  FACE_DUPLICATE_THRESHOLD: z.coerce.number().gt(0).max(0.2).default(0.04),
  /**
   * Detector for search and verify (camera frames): `tiny` (face-api's Tiny Face Detector, ~5x faster; SSD
   * takes a second look when it finds nothing) or `ssd` (SSD MobileNet v1). Enrolment and /detect always use
   * `ssd`. See the README's speed and accuracy sections.
   */
  FACE_DETECTOR: z.enum(["tiny", "ssd"]).default("tiny"),
  /**
   * How the face is cut out for the descriptor: `rotated` (turned with the eye line, as dlib's face chips) or
   * `box` (face-api's axis-aligned crop, the descriptor before issue 14's accuracy work). The threshold was
   * chosen for `rotated` + mirror; examples enrolled with another setting still match, with more false rejects
   * until re-enrolled (README, "Accuracy").
   */
  FACE_DESCRIPTOR_ALIGNMENT: z.enum(["rotated", "box"]).default("rotated"),
  /** Describe a face by the mean of its crop's and its mirror image's descriptors (test-time augmentation). */
  FACE_DESCRIPTOR_MIRROR: env.bool(true),
  /** Input side of the tiny detector (multiple of 32): smaller is faster but misses small faces. */
  FACE_TINY_INPUT_SIZE: env.int(416).pipe(z.number().int().min(128).max(1024).multipleOf(32)),
  /** Detector confidence below which a detection is ignored. */
  FACE_MIN_CONFIDENCE: fraction(0.5),
  /** Smallest face (shorter box side, px) accepted for enrolment: smaller faces give unreliable descriptors. */
  FACE_MIN_ENROL_SIZE_PX: env.int(80).pipe(z.number().int().min(20)),
  /** Images are shrunk so the longer side is at most this before inference (boxes are reported in original pixels). */
  FACE_MAX_INFERENCE_SIDE: env.int(1920).pipe(z.number().int().min(320).max(10000)),
  /** Cap on the decoded image file (bytes), for JSON base64 and multipart alike. */
  FACE_MAX_IMAGE_BYTES: env.int(7_864_320).pipe(z.number().int().min(1024)),
  /** Face examples one user may have; enrolment beyond it is refused (409). */
  FACE_MAX_EXAMPLES_PER_USER: env.int(10).pipe(z.number().int().min(1)),
  /** Pending/deleting examples older than this are repaired (Chroma record removed, row deleted). */
  FACE_REPAIR_GRACE_SECONDS: env.int(300).pipe(z.number().int().min(1)),
  FACE_REPAIR_INTERVAL_SECONDS: env.int(60).pipe(z.number().int().min(0)),
  /** Skip loading models (tests of routes that need no inference); /ready stays false then. */
  FACE_INFERENCE_ENABLED: env.bool(true),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(configSchema, source);
