// @ts-check
// Postgres: one cluster in .stack/postgres/data, run by `pg_ctl` as the postgres user; one database per service.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CONFIG, ENV, PORTS } from "../env.mjs";
import { alive, portOpen, readPid, run, tail } from "../processes.mjs";
import { pgBin } from "../prereqs.mjs";
import { dirOf, fail, IS_ROOT, log, mkdirp, ROOT, STACK } from "../util.mjs";

const PG_DATA_REL = ".stack/postgres/data";
const PG_DATA = path.join(ROOT, PG_DATA_REL);
const { user: PG_USER, password: PG_PASSWORD } = CONFIG.postgres;
const pgEnv = () => ({ ...process.env, PGPASSWORD: PG_PASSWORD });

/**
 * @param {string[]} args
 * @param {import("../processes.mjs").RunOptions} [opts]
 */
const asPostgres = (args, opts = {}) =>
  IS_ROOT
    ? run("runuser", ["-u", "postgres", "--", ...args], opts)
    : run(/** @type {string} */ (args[0]), args.slice(1), opts);

/**
 * The databases the stack creates: each service's (from its *_DATABASE_URL) and keycloak's.
 * @param {Record<string, string>} env
 */
export function databaseNames(env = ENV) {
  const names = new Set();
  for (const key of ["BASE_DATABASE_URL", "STORE_DATABASE_URL", "FACE_DATABASE_URL"]) {
    const url = env[key];
    if (url) names.add(decodeURIComponent(new URL(url).pathname.replace(/^\//, "")));
  }
  names.add("keycloak");
  return [...names];
}

/**
 * Runs one SQL statement as the stack's superuser on the `postgres` database; returns unaligned output.
 * @param {string} sql
 */
export function psqlAdmin(sql) {
  const args = ["-h", "127.0.0.1", "-p", String(PORTS.postgres), "-U", PG_USER, "-d", "postgres"];
  return run(path.join(pgBin(), "psql"), [...args, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql], {
    capture: true,
    env: pgEnv(),
  }).stdout;
}

/** The postgres user must be able to reach .stack/postgres (a clone under /root is not world-traversable). */
function ensurePostgresCanTraverse() {
  if (!IS_ROOT) return;
  if (spawnSync("runuser", ["-u", "postgres", "--", "test", "-x", STACK]).status === 0) return;
  for (let dir = STACK; dir !== "/"; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if (!(mode & 0o001)) {
      log(`allowing the postgres user to traverse ${dir} (chmod o+x)`);
      fs.chmodSync(dir, mode | 0o001);
    }
  }
}

/** @type {import("./part.mjs").Part & { afterHealthy(): Promise<void> }} */
export const postgres = {
  name: "postgres",
  url: () => `postgresql://${PG_USER}:***@127.0.0.1:${PORTS.postgres}`,
  pid: () => {
    const pid = readPid(path.join(PG_DATA, "postmaster.pid"));
    return alive(pid) ? pid : null;
  },
  async start() {
    const bin = pgBin();
    mkdirp(dirOf("postgres"));
    ensurePostgresCanTraverse();
    if (IS_ROOT) run("chown", ["postgres:postgres", dirOf("postgres")]);
    if (!fs.existsSync(path.join(PG_DATA, "PG_VERSION"))) {
      log("postgres: initialising cluster in .stack/postgres/data");
      const pwfile = path.join(dirOf("postgres"), "pwfile");
      fs.writeFileSync(pwfile, `${PG_PASSWORD}\n`, { mode: 0o600 });
      if (IS_ROOT) run("chown", ["postgres:postgres", pwfile]);
      asPostgres(
        [
          path.join(bin, "initdb"),
          "-D",
          PG_DATA_REL,
          "-U",
          PG_USER,
          `--pwfile=${pwfile}`,
          "--auth=scram-sha-256",
          "-E",
          "UTF8",
          "--locale=C.UTF-8",
        ],
        { capture: true },
      );
      fs.rmSync(pwfile);
    }
    if (await portOpen(PORTS.postgres))
      fail(
        `postgres: port ${PORTS.postgres} is in use by another program (see troubleshooting in README.md)`,
      );
    const logFile = ".stack/postgres/postgres.log";
    const r = asPostgres(
      [
        path.join(bin, "pg_ctl"),
        "-D",
        PG_DATA_REL,
        "-o",
        `-p ${PORTS.postgres} -k /tmp -c listen_addresses=127.0.0.1`,
        "-l",
        logFile,
        "start",
      ],
      { capture: true, allowFail: true },
    );
    if (r.status !== 0)
      fail(
        `postgres failed to start:\n${r.stdout}${r.stderr}\n--- last lines of ${logFile} ---\n${tail(path.join(ROOT, logFile))}`,
      );
  },
  healthy: async () =>
    spawnSync(path.join(pgBin(), "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(PORTS.postgres)])
      .status === 0,
  async afterHealthy() {
    const existing = new Set(psqlAdmin("select datname from pg_database").split("\n"));
    for (const db of databaseNames()) {
      if (existing.has(db)) continue;
      log(`postgres: creating database ${db}`);
      psqlAdmin(`create database "${db}"`);
      // A new database has no migrations applied, whatever the stamps of an earlier cluster say (services.mjs).
      fs.rmSync(path.join(STACK, "migrations"), { recursive: true, force: true });
    }
  },
  async stop() {
    asPostgres([path.join(pgBin(), "pg_ctl"), "-D", PG_DATA_REL, "-m", "fast", "-w", "stop"], {
      capture: true,
      allowFail: true,
    });
  },
  logFile: () => path.join(dirOf("postgres"), "postgres.log"),
  timeoutS: 60,
};
