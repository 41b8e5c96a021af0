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

/** SHA-256 of the public key's DER SubjectPublicKeyInfo, lower-case hex (`openssl pkey -pubin -outform DER | sha256sum`). */
const fingerprintSchema = z.string().meta({ examples: ["3f1c…(64 hex digits)"] });

/** A robot as engineers see it in the console (the robot-facing routes keep `robotSchema`). */
export const robotAdminSchema = robotSchema.extend({
  key_fingerprint_sha256: fingerprintSchema,
  enrolled_at: z.string(),
  last_login_at: z.string().nullable(),
});
export type RobotAdminDto = z.infer<typeof robotAdminSchema>;

export const storeTerminalSchema = z.object({
  store_id: z.string(),
  key_fingerprint_sha256: fingerprintSchema,
  enrolled_at: z.string(),
  last_login_at: z.string().nullable(),
});
export type StoreTerminalDto = z.infer<typeof storeTerminalSchema>;

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
