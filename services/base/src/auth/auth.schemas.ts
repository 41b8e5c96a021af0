import { z } from "zod";
import { uuidSchema } from "@rail/common";

/** PEM SubjectPublicKeyInfo of an RSA key (checked for real in the service). */
const publicKeySchema = z.string().min(1).max(1000);

export const robotNewLoginSchema = z.object({
  login: z.string().max(255),
  password: z.string().max(255),
  public_key: publicKeySchema,
  robot_model_id: z.string().trim().min(1).max(60),
  robot_model_name: z.string().trim().min(1).max(60),
});

export const robotSchema = z.object({
  id: z.string(),
  robot_model_id: z.string(),
  robot_model_name: z.string(),
});
export type RobotDto = z.infer<typeof robotSchema>;

export const storeNewLoginSchema = z.object({
  login: z.string().max(255),
  password: z.string().max(255),
  public_key: publicKeySchema,
  store_id: uuidSchema,
});

/** Any string up to a sane length: unknown or malformed ids get a decoy challenge rather than an error. */
export const challengeRequestSchema = z.object({ id: z.string().max(100) });
export const challengeSchema = z.object({ data: z.string(), request_id: z.string() });

export const challengeAnswerSchema = z.object({
  data: z.string().max(1000),
  request_id: z.string().max(100),
});
export const tokenSchema = z.object({ token: z.string() });

export const robotIdParamsSchema = z.object({ robot_id: uuidSchema });
export const storeIdParamsSchema = z.object({ store_id: uuidSchema });
