import { z } from "zod";
import { Privilege, uuidSchema } from "@rail/common";

export const PRIVILEGE_NAMES = ["ROBOT_LOGIN", "STORE_LOGIN", "ROBOT_ADMIN", "ADMIN"] as const;
export type PrivilegeName = (typeof PRIVILEGE_NAMES)[number];
export const privilegeMask = (names: readonly PrivilegeName[]) =>
  names.reduce((mask, name) => mask | Privilege[name], 0);

export const engineerSchema = z.object({ login: z.string(), id: z.string() });
export type EngineerDto = z.infer<typeof engineerSchema>;

export const engineerLoginSchema = z.string().trim().min(1).max(60);
// bcrypt only reads the first 72 bytes, so longer passwords would silently be truncated.
export const passwordSchema = z.string().min(1).max(72);

export const engineerLoginBodySchema = z.object({
  login: z.string().max(255),
  password: z.string().max(255),
});
export const tokenResponseSchema = z.object({ token: z.string() });

export const engineerCreationSchema = z.object({
  login: engineerLoginSchema,
  password: passwordSchema.min(8),
  privileges: z.array(z.enum(PRIVILEGE_NAMES)).max(4).default([]),
});

export const engineerIdParamsSchema = z.object({ engineer_id: uuidSchema });

export const privilegesUpdateSchema = z.object({
  id: uuidSchema,
  privileges: z.array(z.enum(PRIVILEGE_NAMES)).max(4),
});

export const authCardUpdateSchema = z.object({ key: z.string().trim().max(256).nullable().default(null) });

// An empty key matches no card: 403 `Access denied` like any unknown card (reference 3.2.6), not 422.
export const adminAccessSchema = z.object({ key: z.string().trim().max(256) });

/** An RFID card as engineers see it: the key is a credential, so only its last 4 characters are shown. */
export const authCardSchema = z.object({
  id: z.string(),
  engineer_id: z.string(),
  engineer_login: z.string(),
  key_masked: z.string().meta({ examples: ["****A1F3"] }),
  created_at: z.string(),
});
export type AuthCardDto = z.infer<typeof authCardSchema>;
