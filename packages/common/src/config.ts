import { z } from "zod";
import { DEFAULT_SESSION_CACHE_MS } from "./sessions.js";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads the environment through a zod object schema. Every missing or invalid variable is named at once,
 * so an operator fixes them in one go instead of one restart per variable.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === "" ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(root)";
    return input[name] === undefined ? `${name}: missing` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** Common coercions for environment strings. */
export const env = {
  port: (fallback?: number) =>
    fallback === undefined
      ? z.coerce.number().int().min(0).max(65535)
      : z.coerce.number().int().min(0).max(65535).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .default(fallback ? "true" : "false")
      .transform((v) => v === "true" || v === "1" || v === "yes"),
  /** A boolean that may be left unset (the caller decides the default, e.g. from NODE_ENV). */
  optionalBool: () =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true" || v === "1" || v === "yes")),
  url: () => z.url(),
  int: (fallback: number) => z.coerce.number().int().default(fallback),
  logLevel: () => z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
};

/** Base variables every API service reads. */
export const baseServiceEnv = {
  PORT: env.port(),
  HOST: z.string().default("127.0.0.1"),
  LOG_LEVEL: env.logLevel(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** How long a validated session is answered from memory, revocations aside (0 turns the cache off). */
  SESSION_CACHE_MS: env.int(DEFAULT_SESSION_CACHE_MS).pipe(z.number().int().min(0).max(60_000)),
};
