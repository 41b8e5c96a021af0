// @ts-check
// What the stack installs on a fresh machine: apt packages, pnpm, the workspace's dependencies.
import fs from "node:fs";
import path from "node:path";
import { has, run } from "./processes.mjs";
import { fail, IS_ROOT, log, ROOT } from "./util.mjs";

export const PNPM_VERSION = "10.34.8";

/** @param {string[]} packages */
export function aptInstall(packages) {
  if (!IS_ROOT)
    fail(
      `missing ${packages.join(", ")}: install them (apt-get install ${packages.join(" ")}) or run as root`,
    );
  log(`installing ${packages.join(", ")} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-q"], { env });
  run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], { env });
}

/** The bin directory of the newest installed Postgres (Debian layout), or null. */
export function pgBinDir() {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}
/** Like pgBinDir, failing when Postgres is not installed. */
export const pgBin = () => pgBinDir() ?? fail("postgresql is not installed (scripts/stack up installs it)");

/** @param {{ infra: boolean }} opts */
export function ensureSystemPackages({ infra }) {
  const missing = [];
  if (!pgBinDir()) missing.push("postgresql");
  if (!has("redis-server") || !has("redis-cli")) missing.push("redis-server");
  if (!infra && !has("nginx") && !fs.existsSync("/usr/sbin/nginx")) missing.push("nginx");
  if (missing.length) aptInstall(missing);
}

export function ensurePnpm() {
  if (has("pnpm")) return;
  log(`installing pnpm@${PNPM_VERSION} (npm install -g)…`);
  run("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`]);
}

export function ensureDependencies() {
  const modules = path.join(ROOT, "node_modules", ".modules.yaml");
  const lock = path.join(ROOT, "pnpm-lock.yaml");
  const stale =
    !fs.existsSync(modules) ||
    (fs.existsSync(lock) && fs.statSync(lock).mtimeMs > fs.statSync(modules).mtimeMs);
  if (!stale) return;
  log("installing workspace dependencies (pnpm install)…");
  const args = ["install"];
  if (fs.existsSync(lock)) args.push("--frozen-lockfile");
  run("pnpm", args, { env: { ...process.env, CI: process.env.CI ?? "true" } });
}

/** Test-only tools: the web app's browser test drives Debian's Chromium (no browser download). */
export function ensureTestTools() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) aptInstall(["chromium"]);
}
