import { z } from "zod";

/** Reference limit on the base64 text (10 MiB of characters, about 7.5 MB of image). */
export const MAX_BASE64_CHARS = 10_485_760;
export const DESCRIPTOR_LENGTH = 128;

/** User ids come from the base service (UUIDs); anything id-like is accepted, as the reference did. */
export const userIdSchema = z
  .string()
  .trim()
  .min(1, "user_id must not be empty")
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, "user_id may contain letters, digits and _ . : - only");

export const imageSchema = z
  .string()
  .min(1)
  .max(MAX_BASE64_CHARS)
  .describe("JPEG, PNG or WebP, base64-encoded (a data: URL prefix is accepted)");

/** A descriptor computed on board (face-api's 128-d recognition net); normalised before use. */
export const embeddingSchema = z
  .array(z.number().finite())
  .length(DESCRIPTOR_LENGTH, `embedding must have ${DESCRIPTOR_LENGTH} numbers`)
  .refine((v) => v.some((x) => x !== 0), "embedding must not be all zeros");

export const enrolBodySchema = z.object({ image: imageSchema, user_id: userIdSchema });
export const imageBodySchema = z.object({ image: imageSchema });
export const verifyBodySchema = z.object({ image: imageSchema, user_id: userIdSchema });
export const searchEmbeddingBodySchema = z.object({ embedding: embeddingSchema });
export const verifyEmbeddingBodySchema = z.object({ embedding: embeddingSchema, user_id: userIdSchema });

/** Most passengers a manifest (one run of a train) can hold, with room to spare. */
export const MAX_CANDIDATES = 5000;

export const candidatesBodySchema = z
  .object({
    image: imageSchema.optional(),
    embedding: embeddingSchema.optional(),
    user_ids: z
      .array(userIdSchema)
      .min(1, "user_ids must not be empty")
      .max(MAX_CANDIDATES)
      .describe("the users to compare with, e.g. the passengers holding a ticket on one run"),
  })
  .refine((b) => (b.image === undefined) !== (b.embedding === undefined), {
    message: "exactly one of image or embedding is required",
    path: ["image"],
  });

/** Multipart variants: the image arrives as a file part named `image`. */
export const enrolFormSchema = z.object({ user_id: userIdSchema });
export const verifyFormSchema = z.object({ user_id: userIdSchema });

export const userIdParamsSchema = z.object({ user_id: userIdSchema });
export const faceIdParamsSchema = z.object({
  face_id: z.uuid({ message: "Input should be a valid UUID" }).transform((s) => s.toLowerCase()),
});

export const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export const pointSchema = z.object({ x: z.number(), y: z.number() });

export const statusOkSchema = z.object({ status: z.literal("OK") });
export const checkResponseSchema = z.object({ status: z.boolean() });

export const matchSchema = z.object({
  user_id: z.string(),
  /** Cosine distance between normalised descriptors (0 = identical). */
  distance: z.number(),
  /** 1 at distance 0, 0.5 at the match threshold, 0 at twice the threshold or beyond. */
  similarity: z.number().min(0).max(1),
});
export const searchResponseSchema = matchSchema;
export const verifyResponseSchema = matchSchema.extend({ match: z.boolean(), threshold: z.number() });

export const candidatesResponseSchema = z.object({
  match: z.boolean(),
  /** The matched user; null unless match. */
  user_id: z.string().nullable(),
  reason: z
    .enum(["matched", "no_enrolled_candidates", "beyond_threshold", "ambiguous"])
    .describe(
      "matched; no_enrolled_candidates (none of the users has a face); beyond_threshold (nobody close " +
        "enough); ambiguous (the two nearest users are within the margin of each other: a look-alike)",
    ),
  detail: z.string(),
  /** Distance of the nearest candidate (null when nobody has a face). */
  distance: z.number().nullable(),
  similarity: z.number().min(0).max(1).nullable(),
  /** Distance of the nearest *other* candidate user (null when there is none). */
  next_distance: z.number().nullable(),
  threshold: z.number(),
  margin: z.number(),
  /** Candidate users that have at least one face enrolled. */
  enrolled_candidates: z.number().int(),
});

export const detectedFaceSchema = z.object({
  box: boxSchema,
  score: z.number(),
  landmarks: z.array(pointSchema).describe("68 points, iBUG layout, in image pixels"),
});
export const detectResponseSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  faces: z.array(detectedFaceSchema).describe("largest first"),
});

export const faceUserSchema = z.object({ user_id: z.string() });
export const faceUsersResponseSchema = z.array(faceUserSchema);

export const faceExampleSchema = z.object({
  id: z.string(),
  user_id: z.string(),
  created_at: z.string(),
  detector_score: z.number(),
  box: boxSchema,
});
export const faceExamplesResponseSchema = z.object({
  user_id: z.string(),
  items: z.array(faceExampleSchema),
});
export const enrolResponseSchema = z.object({ status: z.literal("OK"), face_id: z.string() });
