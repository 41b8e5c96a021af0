import { z } from "zod";
import { baseServiceEnv, env, loadConfig } from "@rail/common";
import { keycloakConfigSchema } from "./keycloak/keycloak.config.js";

export const configSchema = z.object({
  ...baseServiceEnv,
  /** How passenger tokens are verified (KEYCLOAK_*; see keycloak/keycloak.config.ts). */
  ...keycloakConfigSchema.shape,
  PORT: env.port(8001),
  DATABASE_URL: z.url(),
  REDIS_URL: z.url(),
  SESSION_TTL_SECONDS: env.int(3600).pipe(z.number().min(60)),
  MIGRATE_ON_START: env.optionalBool(),
  FACE_API_URL: z.url(),
  STORE_API_URL: z.url(),
  INTERNAL_SERVICE_TOKEN: z.string().min(16),
  /** Timeout of calls to the face and store services (face search on CPU takes a while). */
  SERVICE_TIMEOUT_MS: env.int(10_000).pipe(z.number().min(100)),
  BOOTSTRAP_ENGINEER_LOGIN: z.string().min(1).max(60),
  BOOTSTRAP_ENGINEER_PASSWORD: z.string().min(8).max(72),
  /** Encrypts the ticket signing keys at rest (src/ticket-signing). */
  TICKET_SIGNING_SECRET: z.string().min(32),
  /** bcrypt cost; 12 in production, tests lower it to keep CPU use modest. */
  BCRYPT_COST: env.int(12).pipe(z.number().int().min(4).max(15)),
  /** Lifetime of a robot/terminal login challenge. */
  CHALLENGE_TTL_SECONDS: env.int(30).pipe(z.number().int().min(1)),
  /** Wrong answers allowed per challenge before it is discarded. */
  CHALLENGE_MAX_ATTEMPTS: env.int(5).pipe(z.number().int().min(1)),
  /** How long a passenger's seat hold keeps the seat (src/holds). */
  HOLD_TTL_SECONDS: env.int(600).pipe(z.number().int().min(10).max(3600)),
  /** How many seats one passenger may hold at once (a hold past the cap is 429). */
  HOLD_MAX_PER_PASSENGER: env.int(10).pipe(z.number().int().min(1).max(100)),
  /** How often each replica releases expired seat holds (they stop counting at expiry regardless). */
  HOLD_EXPIRY_INTERVAL_SECONDS: env.int(30).pipe(z.number().int().min(1)),
  /** Failed engineer logins allowed per (login, IP) within the window. */
  LOGIN_MAX_FAILURES: env.int(10).pipe(z.number().int().min(1)),
  LOGIN_WINDOW_SECONDS: env.int(900).pipe(z.number().int().min(1)),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(configSchema, source);
