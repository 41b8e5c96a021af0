import { z } from "zod";
import { baseServiceEnv, env, loadConfig } from "@rail/common";

export const configSchema = z.object({
  ...baseServiceEnv,
  PORT: env.port(8001),
  DATABASE_URL: z.url(),
  REDIS_URL: z.url(),
  SESSION_TTL_SECONDS: env.int(3600),
  MIGRATE_ON_START: env.bool(false),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(configSchema, source);
