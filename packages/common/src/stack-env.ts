import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadEnvFiles } from "./env-file.mjs";

export { parseEnvFile } from "./env-file.mjs";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * The environment of the local stack: `.env.example` defaults overlaid with `.env` and then the real
 * environment (the same reader as scripts/stack: env-file.mjs). Tests use it to reach the same
 * Postgres/Redis/Chroma/Keycloak the stack runs.
 */
export function loadStackEnv(): Record<string, string> {
  return loadEnvFiles(REPO_ROOT);
}
