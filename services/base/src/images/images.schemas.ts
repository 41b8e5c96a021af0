import { z } from "zod";
import { uuidSchema } from "@rail/common";

/** Uploads above this are refused with 413 before they are read to the end (multer's limit). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Larger pictures than a logo ever needs; also keeps browsers away from decompression bombs. */
export const MAX_IMAGE_SIDE = 10_000;
/** The multipart file part carrying the picture (as in the face service's upload routes). */
export const IMAGE_FIELD = "image";

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const imageSchema = z.object({
  id: z.string(),
  /** Where anyone (browsers, robots) fetches the picture; put it into `logo_url` as is. */
  url: z.string(),
  content_type: z.enum(IMAGE_TYPES),
  size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  sha256: z.string(),
  created_at: z.string(),
});
export type ImageDto = z.infer<typeof imageSchema>;

/** Documents the multipart body; the file itself is read by the upload middleware, not by zod. */
export const imageUploadFormSchema = z.object({
  [IMAGE_FIELD]: z
    .unknown()
    .optional()
    .meta({ type: "string", format: "binary", description: "JPEG, PNG or WebP, at most 5 MiB" }),
});

export const imageIdParamsSchema = z.object({ image_id: uuidSchema });
