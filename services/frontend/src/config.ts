import { z } from "zod";
import { baseServiceEnv, env, loadConfig } from "@rail/common";

export const configSchema = z.object({
  ...baseServiceEnv,
  PORT: env.port(8004),
  KEYCLOAK_PUBLIC_URL: z.url().default("http://localhost:8080/keycloak"),
  KEYCLOAK_REALM: z.string().default("railway"),
  KEYCLOAK_WEB_CLIENT_ID: z.string().default("web"),
  /** Where the built web app lives (vite build output). */
  WEB_DIST_DIR: z.string().optional(),
});
export type Config = z.infer<typeof configSchema>;

export const readConfig = (source: NodeJS.ProcessEnv = process.env) => loadConfig(configSchema, source);
