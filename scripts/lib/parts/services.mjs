// @ts-check
// The four services (`pnpm --filter @rail/<name> start`, each with its own PORT and DATABASE_URL) and their
// database migrations.
import fs from "node:fs";
import path from "node:path";
import { ENV, PORTS } from "../env.mjs";
import {
  alive,
  groupAlive,
  httpStatus,
  portOpen,
  readPid,
  run,
  runAsync,
  startDetached,
  stopPid,
} from "../processes.mjs";
import { replicaInstances } from "../replicas.mjs";
import { dirOf, fail, hashTree, log, logOf, mkdirp, pidFileOf, ROOT, sha, STACK } from "../util.mjs";

/** @typedef {"base" | "store" | "face" | "frontend"} ServiceName */

/**
 * The environment a service is started with: the stack's env plus its own PORT/HOST/DATABASE_URL (pure).
 * @param {Record<string, string>} env
 * @param {{ port: number, dbKey?: string, nodeEnv?: string }} opts
 * @returns {Record<string, string>}
 */
export function serviceEnv(env, { port, dbKey, nodeEnv }) {
  /** @type {Record<string, string>} */
  const out = {
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: nodeEnv ?? env.NODE_ENV ?? "development",
    // `up` has just applied the migrations itself.
    MIGRATE_ON_START: "false",
  };
  if (dbKey) {
    const url = env[dbKey];
    if (!url) fail(`${dbKey} is not set (.env.example defines it)`);
    out.DATABASE_URL = url;
  }
  return out;
}

/**
 * @param {ServiceName} name
 * @param {{ prefix?: string, dbKey?: string, part?: string, port?: number }} opts `part`/`port`: a replica's
 *   own part name (e.g. base-2) and port; by default the service's.
 * @returns {import("./part.mjs").Part}
 */
function service(name, { prefix, dbKey, part = name, port = PORTS[name] }) {
  const readyPath = prefix ? `${prefix}/ready` : "/ready";
  return {
    name: part,
    service: true,
    url: () => `http://127.0.0.1:${port}${prefix ?? "/"}`,
    pid: () => {
      const pid = readPid(pidFileOf(part));
      return pid && (alive(pid) || groupAlive(pid)) ? pid : null;
    },
    async start() {
      if (!fs.existsSync(path.join(ROOT, "services", name, "src", "main.ts"))) {
        log(`${part}: skipped (services/${name}/src/main.ts does not exist yet)`);
        return "skipped";
      }
      if (await portOpen(port)) fail(`${part}: port ${port} is in use by another program`);
      if (name === "frontend") buildWebApp();
      const env = serviceEnv(ENV, {
        port,
        ...(dbKey ? { dbKey } : {}),
        ...(process.env.NODE_ENV ? { nodeEnv: process.env.NODE_ENV } : {}),
      });
      mkdirp(dirOf(part));
      return startDetached("pnpm", ["--filter", `@rail/${name}`, "start"], {
        env,
        logFile: logOf(part),
        pidFile: pidFileOf(part),
      });
    },
    healthy: async () => (await httpStatus(`http://127.0.0.1:${port}${readyPath}`)) === 200,
    stop: (pid) => stopPid(pid),
    logFile: () => logOf(part),
    timeoutS: 120,
  };
}

/** The frontend serves services/frontend/dist (vite build of web/): build it when missing or when web/ changed. */
function buildWebApp() {
  const dir = path.join(ROOT, "services", "frontend");
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (!pkg.scripts?.build) return;
  const key = sha(["web", "vite.config.ts", "package.json"].map((f) => hashTree(path.join(dir, f))).join(""));
  const stamp = path.join(dirOf("frontend"), "build.stamp");
  if (
    fs.existsSync(path.join(dir, "dist", "index.html")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8") === key
  )
    return;
  log("frontend: building the web app (vite build)…");
  const r = run("pnpm", ["run", "build"], { cwd: dir, capture: true, allowFail: true });
  if (r.status !== 0)
    fail(
      `frontend: web app build failed:\n${(r.stdout + r.stderr).trimEnd().split("\n").slice(-30).join("\n")}`,
    );
  mkdirp(dirOf("frontend"));
  fs.writeFileSync(stamp, key);
}

export const base = service("base", { prefix: "/base_api/v1", dbKey: "BASE_DATABASE_URL" });
export const store = service("store", { prefix: "/store_api/v1", dbKey: "STORE_DATABASE_URL" });
export const face = service("face", { prefix: "/face_api/v1", dbKey: "FACE_DATABASE_URL" });
export const frontend = service("frontend", {});
export const SERVICES = [base, store, face, frontend];

const SERVICE_OPTIONS = {
  base: { prefix: "/base_api/v1", dbKey: "BASE_DATABASE_URL" },
  store: { prefix: "/store_api/v1", dbKey: "STORE_DATABASE_URL" },
  face: { prefix: "/face_api/v1", dbKey: "FACE_DATABASE_URL" },
};

/**
 * The extra replicas of `scripts/stack up --replicas` as parts (base-2 ...).
 * @param {Record<string, number>} replicas
 */
export const replicaParts = (replicas) =>
  replicaInstances(replicas, PORTS).map(({ service: name, part, port }) =>
    service(/** @type {ServiceName} */ (name), {
      ...SERVICE_OPTIONS[/** @type {"base" | "store" | "face"} */ (name)],
      part,
      port,
    }),
  );

/**
 * Generates the Prisma clients and applies migrations (`prisma migrate deploy`), the services in parallel.
 * Same as `pnpm db:migrate`, except that each service gets its own database as DATABASE_URL (prisma needs it
 * even to generate offline). Skips a service when neither prisma/ nor its database URL changed since the last
 * successful run.
 */
export async function migrate() {
  const withPrisma = SERVICES.filter((s) =>
    fs.existsSync(path.join(ROOT, "services", s.name, "prisma", "schema.prisma")),
  );
  if (!withPrisma.length) return;
  const started = Date.now();
  const stampDir = path.join(STACK, "migrations");
  mkdirp(stampDir);
  const results = await Promise.all(
    withPrisma.map(async (s) => {
      const dbUrl = ENV[`${s.name.toUpperCase()}_DATABASE_URL`] ?? "";
      const stampFile = path.join(stampDir, `${s.name}.stamp`);
      const key = sha(
        dbUrl +
          hashTree(path.join(ROOT, "services", s.name, "prisma")) +
          hashTree(path.join(ROOT, "services", s.name, "prisma.config.ts")),
      );
      const generated = fs.existsSync(path.join(ROOT, "services", s.name, "src", "generated"));
      if (generated && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === key)
        return { name: s.name, status: 0, output: "", skipped: true };
      log(`${s.name}: prisma generate + migrate deploy…`);
      const env = { ...process.env, ...ENV, DATABASE_URL: dbUrl };
      const cwd = path.join(ROOT, "services", s.name);
      let r = await runAsync("pnpm", ["run", "db:generate"], { cwd, env });
      if (r.status === 0) r = await runAsync("pnpm", ["run", "db:migrate"], { cwd, env });
      if (r.status === 0) fs.writeFileSync(stampFile, key);
      return { name: s.name, ...r, skipped: false };
    }),
  );
  const failed = results.filter((r) => r.status !== 0);
  if (failed.length) {
    fail(
      failed
        .map(
          (r) =>
            `database migration of ${r.name} failed:\n${r.output.trimEnd().split("\n").slice(-30).join("\n")}`,
        )
        .join("\n"),
    );
  }
  if (results.every((r) => r.skipped)) return log("migrations: up to date");
  log(`migrations done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
