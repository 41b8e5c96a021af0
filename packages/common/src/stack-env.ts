import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Minimal dotenv parser: KEY=value lines, `#` comments, optional quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

/**
 * The environment of the local stack: `.env.example` defaults overlaid with `.env` and then the real
 * environment. Tests use it to reach the same Postgres/Redis/Chroma/Keycloak the stack runs.
 */
export function loadStackEnv(): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const file of [".env.example", ".env"]) {
    const p = path.join(REPO_ROOT, file);
    if (existsSync(p)) Object.assign(merged, parseEnvFile(readFileSync(p, "utf8")));
  }
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k in merged) merged[k] = v;
  return merged;
}
