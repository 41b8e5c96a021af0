// @ts-check
// The one reader of the repository's env files, shared by scripts/stack (which runs before `pnpm install`, so this
// file is plain JavaScript with node built-ins only) and packages/common/src/stack-env.ts (tests, Prisma CLI).
//
// Semantics (close to dotenv, without variable expansion):
// - `KEY=value` lines, optionally prefixed by `export `; blank lines and `#` comments are ignored.
// - Unquoted values are trimmed and lose a trailing ` # comment`; a `#` inside a value (`pa#ss`) is kept.
// - Values in matching single or double quotes are taken verbatim (no trimming inside, no escapes).
// - An empty value means "not set" at every layer: `KEY=` in .env does not blank out .env.example's default, and an
//   empty variable in the real environment (`KEY= scripts/stack up`) does not override the files either.
import fs from "node:fs";
import path from "node:path";

/** The env files, lowest precedence first; the real environment overrides both. */
export const ENV_FILES = [".env.example", ".env"];

/**
 * Parses the text of one env file into its key/value pairs (empty values included, as "").
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseEnvFile(text) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!m) continue;
    const raw = (m[2] ?? "").trim();
    const quoted = /^(["'])(.*)\1(?:\s+#.*)?$/.exec(raw);
    out[/** @type {string} */ (m[1])] = quoted ? (quoted[2] ?? "") : raw.replace(/(^|\s+)#.*$/, "");
  }
  return out;
}

/**
 * Layers env sources, lowest precedence first: for every key the files define, the last non-empty value wins;
 * the environment then overrides keys the files define (non-empty values only). Keys only the environment has are
 * not included (the result is the stack's configuration, not a copy of the whole process environment).
 * @param {Array<Record<string, string>>} files parsed env files, lowest precedence first
 * @param {Record<string, string | undefined>} environment usually process.env
 * @returns {Record<string, string>}
 */
export function mergeEnv(files, environment) {
  /** @type {Record<string, string>} */
  const merged = {};
  for (const file of files) for (const [k, v] of Object.entries(file)) if (v !== "") merged[k] = v;
  for (const k of Object.keys(merged)) {
    const v = environment[k];
    if (v !== undefined && v !== "") merged[k] = v;
  }
  return merged;
}

/**
 * The stack's environment: `.env.example` overlaid by `.env` (both in `root`, when present), overlaid by the
 * real environment.
 * @param {string} root repository root
 * @param {Record<string, string | undefined>} [environment]
 * @returns {Record<string, string>}
 */
export function loadEnvFiles(root, environment = process.env) {
  const files = ENV_FILES.map((f) => path.join(root, f))
    .filter((p) => fs.existsSync(p))
    .map((p) => parseEnvFile(fs.readFileSync(p, "utf8")));
  return mergeEnv(files, environment);
}
