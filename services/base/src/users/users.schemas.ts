import { z } from "zod";
import { uuidSchema } from "@rail/common";
import { imageSchema } from "../shared/schemas.js";

export const userSchema = z.object({ id: z.string(), name: z.string() });
export type UserDto = z.infer<typeof userSchema>;

export const userCreationSchema = z.object({
  name: z.string().trim().min(1).max(60),
  face: imageSchema.nullable().default(null),
});

export const faceUpdateSchema = z.object({ face: imageSchema });
export const userIdParamsSchema = z.object({ user_id: uuidSchema });
export const userIdQuerySchema = z.object({ user_id: uuidSchema });
export const identificationSchema = z.object({ image: imageSchema });
