// @ts-check
// Starting and stopping parts, `up`, `down` and the start-up summary.
import fs from "node:fs";
import { CONFIG } from "./env.mjs";
import { waitFor } from "./processes.mjs";
import { ensureDependencies, ensurePnpm, ensureSystemPackages } from "./prereqs.mjs";
import { ALL, chroma, keycloak, nginx, postgres, redis, REPLICAS, SERVICES } from "./parts/index.mjs";
import { NGINX_PID_FILE } from "./parts/nginx.mjs";
import { databaseNames } from "./parts/postgres.mjs";
import { migrate } from "./parts/services.mjs";
import { lastSeedRun, seed, seedDue } from "./seed.mjs";
import { log, mkdirp, pidFileOf, STACK } from "./util.mjs";

/**
 * Starts a part unless it runs, then waits until it is healthy.
 * @param {import("./parts/part.mjs").Part} part
 */
export async function startPart(part) {
  const running = part.pid();
  if (running) {
    if (part.whenRunning) await part.whenRunning(running);
    if (!(await part.healthy()))
      await waitFor(part.name, part.healthy, {
        timeoutS: part.timeoutS,
        logFile: part.logFile(),
        pid: running,
      });
    log(`${part.name}: already running (pid ${running})`);
    return;
  }
  const started = Date.now();
  log(`${part.name}: starting`);
  const pid = await part.start();
  if (pid === "skipped") return;
  await waitFor(part.name, part.healthy, {
    timeoutS: part.timeoutS,
    logFile: part.logFile(),
    pid: typeof pid === "number" ? pid : null,
  });
  log(`${part.name}: up after ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/**
 * Stops a part if it runs and forgets its pid file.
 * @param {import("./parts/part.mjs").Part} part
 */
export async function stopPart(part) {
  const pid = part.pid();
  if (!pid) return;
  log(`${part.name}: stopping (pid ${pid})`);
  await part.stop(pid);
  if (part.name !== "postgres")
    fs.rmSync(part.name === "nginx" ? NGINX_PID_FILE : pidFileOf(part.name), { force: true });
}

/**
 * Starts everything that is not running (or only the infrastructure), waits until healthy, prints the summary.
 * @param {{ infra?: boolean }} [opts]
 */
export async function up({ infra = false } = {}) {
  const started = Date.now();
  mkdirp(STACK);
  ensureSystemPackages({ infra });
  ensurePnpm();
  ensureDependencies();
  await startPart(postgres);
  await postgres.afterHealthy();
  await startPart(redis);
  // Chroma and Keycloak boot in the background while migrations run.
  const results = await Promise.allSettled([migrate(), startPart(chroma), startPart(keycloak)]);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  if (!infra) {
    for (const part of [...SERVICES, ...REPLICAS]) await startPart(part);
    await startPart(nginx);
    // The demo railway: on the first `up`, and again when the last seed is old (runs for the coming days).
    // A failed seed leaves the stack usable.
    if (seedDue(lastSeedRun(), new Date()) && !seed())
      log("WARNING: the demo seed failed (see above); retry with `scripts/stack seed`");
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  console.log(formatSummary(summaryLines(CONFIG, { infra, databases: databaseNames(CONFIG.env) })));
}

export async function down() {
  for (const part of [...ALL].reverse()) await stopPart(part);
  log("stopped (data in .stack/ kept)");
}

/**
 * What `up` prints at the end: where everything is and how to log in (pure).
 * @param {import("./env.mjs").StackConfig} config
 * @param {{ infra: boolean, databases: string[] }} opts
 * @returns {Array<[string, string]>}
 */
export function summaryLines(config, { infra, databases }) {
  const { ports, publicUrl, keycloakPublicUrl, postgres: pg, keycloakAdmin, engineer } = config;
  if (infra)
    return [
      ["Postgres", `127.0.0.1:${ports.postgres} (user ${pg.user}; databases ${databases.join(", ")})`],
      ["Redis", `redis://127.0.0.1:${ports.redis}`],
      ["Chroma", `http://127.0.0.1:${ports.chroma}`],
      ["Keycloak", `http://127.0.0.1:${ports.keycloak}/keycloak (public: ${keycloakPublicUrl})`],
    ];
  return [
    ["Web app", `${publicUrl}/`],
    ["Base API docs", `${publicUrl}/base_api/v1/docs`],
    ["Store API docs", `${publicUrl}/store_api/v1/docs`],
    ["Face API docs", `${publicUrl}/face_api/v1/docs`],
    [
      "Engineer login",
      `${engineer.login} / ${engineer.password}  (POST ${publicUrl}/base_api/v1/auth/engineer/login)`,
    ],
    ["Keycloak admin", `${keycloakPublicUrl}/admin/ (${keycloakAdmin.user} / ${keycloakAdmin.password})`],
    ["Demo passenger", "demo / demo-passenger (web app sign-in)"],
    [
      "Demo engineers",
      `demo-admin, demo-robot-login, demo-store-login, demo-robot-admin / ${config.env.DEMO_ENGINEER_PASSWORD ?? "demo-engineer-password"}`,
    ],
    ["Demo keys", ".stack/seed/robot.pem, terminal.pem (ids in .stack/seed/state.json; scripts/stack seed)"],
    ["Postgres", `127.0.0.1:${ports.postgres} (user ${pg.user})`],
    ["Logs", ".stack/<part>/<part>.log  (scripts/stack logs <part>)"],
  ];
}

/** @param {Array<[string, string]>} lines */
export const formatSummary = (lines) => `\n${lines.map(([k, v]) => `  ${k.padEnd(16)} ${v}`).join("\n")}\n`;
