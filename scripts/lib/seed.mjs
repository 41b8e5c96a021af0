// @ts-check
// The demo railway (packages/ops/src/seed): idempotent, through nginx as the bootstrap engineer.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CONFIG, ENV, PORTS } from "./env.mjs";
import { log, ROOT, STACK } from "./util.mjs";

/** Where the seed keeps the demo robot's and terminal's private keys and its own state (git-ignored). */
export const SEED_DIR = path.join(STACK, "seed");

/** `up` re-runs the seed when it last completed longer ago than this, so the timetable never runs out. */
export const RESEED_AFTER_HOURS = 12;

/**
 * Whether the seed should run: never completed, or completed more than RESEED_AFTER_HOURS before `now`.
 * @param {string | undefined} lastRun the seed state's `lastRun` (ISO time)
 * @param {Date} now
 */
export function seedDue(lastRun, now) {
  const last = lastRun ? Date.parse(lastRun) : NaN;
  return !Number.isFinite(last) || now.getTime() - last > RESEED_AFTER_HOURS * 3600_000;
}

/** The seed state's last completion time, if any. */
export function lastSeedRun() {
  try {
    return JSON.parse(fs.readFileSync(path.join(SEED_DIR, "state.json"), "utf8")).lastRun;
  } catch {
    return undefined;
  }
}

/** Runs the seed; resolves with whether it succeeded (its own output says what failed). */
export function seed() {
  log("seeding the demo railway (packages/ops/src/seed)…");
  const r = spawnSync("pnpm", ["--filter", "@rail/ops", "exec", "tsx", "src/seed/main.ts"], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      RAIL_OPS_URL: `http://127.0.0.1:${PORTS.http}`,
      RAIL_OPS_LOGIN: CONFIG.engineer.login,
      RAIL_OPS_PASSWORD: CONFIG.engineer.password,
      SEED_DIR,
      DEMO_ENGINEER_PASSWORD: ENV.DEMO_ENGINEER_PASSWORD ?? "demo-engineer-password",
      KEYCLOAK_URL: `http://127.0.0.1:${PORTS.keycloak}/keycloak`,
      KEYCLOAK_REALM: CONFIG.realm,
      KEYCLOAK_ADMIN_USER: CONFIG.keycloakAdmin.user,
      KEYCLOAK_ADMIN_PASSWORD: CONFIG.keycloakAdmin.password,
    },
  });
  return r.status === 0;
}
