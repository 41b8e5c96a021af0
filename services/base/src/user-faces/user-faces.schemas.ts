import { z } from "zod";
import { uuidSchema } from "@rail/common";

/** The multipart file part carrying the photo (as in the face service's own upload routes). */
export const PHOTO_FIELD = "image";

const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

export const faceExampleSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  /** How sure the detector was that this is a face (0..1). */
  detector_score: z.number(),
  /** Where the face was in the enrolled photo, in pixels. */
  box: boxSchema,
});
export const faceExamplesSchema = z.object({ user_id: z.string(), items: z.array(faceExampleSchema) });
export type FaceExamplesDto = z.infer<typeof faceExamplesSchema>;
export type FaceExampleDto = z.infer<typeof faceExampleSchema>;

export const faceEnrolledSchema = z.object({ status: z.literal("OK"), face_id: z.string().nullable() });

export const faceVerificationSchema = z.object({
  user_id: z.string(),
  /** True when the photo's largest face is within the threshold of the passenger's examples. */
  match: z.boolean(),
  /** Cosine distance to the nearest example (0 = identical). */
  distance: z.number(),
  /** 1 at distance 0, 0.5 at the threshold, 0 at twice the threshold or beyond. */
  similarity: z.number(),
  threshold: z.number(),
});
export type FaceVerificationDto = z.infer<typeof faceVerificationSchema>;

export const photoFormSchema = z.object({
  [PHOTO_FIELD]: z
    .unknown()
    .optional()
    .meta({ type: "string", format: "binary", description: "JPEG, PNG or WebP photo, at most 7.5 MiB" }),
});

export const userFacesParamsSchema = z.object({ user_id: uuidSchema });
export const userFaceParamsSchema = z.object({ user_id: uuidSchema, face_id: uuidSchema });
