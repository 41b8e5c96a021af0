#!/usr/bin/env node
// Local stack for the railway robot services: Postgres, Redis, Chroma, Keycloak, the four services and nginx
// as plain background processes (no Docker). Pid files and logs live under .stack/<part>/.
//
//   scripts/stack up [--infra]     start everything (or only Postgres, Redis, Chroma, Keycloak), wait until healthy
//   scripts/stack down             stop what the stack started (data in .stack/ survives)
//   scripts/stack status           one line per part: up/down, pid, URL
//   scripts/stack logs [part] [-f] tail logs (all parts, or one)
//   scripts/stack test             up, then the whole test suite, then `N passed, N failed`
//
// Only node built-ins: it has to run before `pnpm install`.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STACK = path.join(ROOT, ".stack");
const KEYCLOAK_VERSION = "26.5.6";
const PNPM_VERSION = "10.34.8";
const IS_ROOT = process.getuid?.() === 0;

const log = (msg) => console.log(`[stack] ${msg}`);
class StackError extends Error {}
const fail = (msg) => {
  throw new StackError(msg);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Environment: .env.example defaults, overlaid by .env, overlaid by the real environment (same rule as
// packages/common/src/stack-env.ts).
function parseEnvFile(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1]] = value;
  }
  return out;
}
function loadEnv() {
  const env = {};
  for (const file of [".env.example", ".env"]) {
    const p = path.join(ROOT, file);
    if (fs.existsSync(p)) Object.assign(env, parseEnvFile(fs.readFileSync(p, "utf8")));
  }
  for (const k of Object.keys(env))
    if (process.env[k] !== undefined && process.env[k] !== "") env[k] = process.env[k];
  return env;
}
const ENV = loadEnv();
const num = (key, fallback) => Number(ENV[key] ?? fallback);
const PORTS = {
  http: num("RAIL_HTTP_PORT", 8080),
  postgres: num("POSTGRES_PORT", 55432),
  redis: num("REDIS_PORT", 6390),
  chroma: num("CHROMA_PORT", 8005),
  keycloak: num("KEYCLOAK_PORT", 8180),
  base: num("BASE_PORT", 8001),
  store: num("STORE_PORT", 8002),
  face: num("FACE_PORT", 8003),
  frontend: num("FRONTEND_PORT", 8004),
};
const PUBLIC_URL = (ENV.RAIL_PUBLIC_URL ?? `http://localhost:${PORTS.http}`).replace(/\/$/, "");
const KEYCLOAK_PUBLIC_URL = (ENV.KEYCLOAK_PUBLIC_URL ?? `${PUBLIC_URL}/keycloak`).replace(/\/$/, "");
const REALM = ENV.KEYCLOAK_REALM ?? "railway";
const PG_USER = ENV.POSTGRES_USER ?? "rail";
const PG_PASSWORD = ENV.POSTGRES_PASSWORD ?? "rail";

// ---------------------------------------------------------------------------------------------------------------
// Process helpers
function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: opts.capture ? "pipe" : "inherit",
    encoding: "utf8",
    ...opts,
  });
  if (r.error) {
    if (opts.allowFail) return r;
    fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  }
  if (r.status !== 0 && !opts.allowFail) {
    const out = opts.capture ? `\n${(r.stdout ?? "") + (r.stderr ?? "")}`.trimEnd() : "";
    fail(`\`${cmd} ${args.join(" ")}\` exited with ${r.status}${out}`);
  }
  return r;
}
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const alive = (pid) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie or a reused pid of another program is not ours.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};
const readPid = (file) => {
  try {
    const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0].trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};
const portOpen = (port, host = "127.0.0.1") =>
  new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(1000);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("timeout", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(false));
  });
async function httpStatus(url, timeoutMs = 3000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
function tail(file, lines = 30) {
  try {
    const text = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    return text.slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
const mkdirp = (p) => fs.mkdirSync(p, { recursive: true });
/** Content hash of a file or directory tree (names + bytes). */
function hashTree(p) {
  const h = crypto.createHash("sha256");
  const walk = (q) => {
    if (!fs.existsSync(q)) return;
    const st = fs.statSync(q);
    if (st.isDirectory()) for (const e of fs.readdirSync(q).sort()) walk(path.join(q, e));
    else h.update(q).update(fs.readFileSync(q));
  };
  walk(p);
  return h.digest("hex");
}
const sha = (text) => crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Starts a detached process in its own process group, output appended to logFile; returns its pid. */
function startDetached(cmd, args, { cwd = ROOT, env = {}, logFile, pidFile }) {
  mkdirp(path.dirname(logFile));
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} ${cmd} ${args.join(" ")}\n`);
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  child.unref();
  if (pidFile) fs.writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/** Stops a process group started by startDetached (or a single pid), waiting up to timeoutMs. */
async function stopPid(pid, { group = true, timeoutMs = 20000 } = {}) {
  const signal = (sig) => {
    try {
      if (group) process.kill(-pid, sig);
      else process.kill(pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) signal("SIGKILL");
  // Wait a little for the group's stragglers (e.g. tsx's child node).
  for (let i = 0; i < 20 && group && groupAlive(pid); i++) await sleep(100);
}
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls check() until true, printing progress; on timeout fails naming the part with the tail of its log. */
async function waitFor(part, check, { timeoutS, logFile, pid }) {
  const start = Date.now();
  let lastReport = 0;
  for (;;) {
    if (await check()) return (Date.now() - start) / 1000;
    const elapsed = Math.round((Date.now() - start) / 1000);
    if (pid && !alive(pid) && !(pid && groupAlive(pid))) {
      fail(
        `${part} exited during startup.\n--- last lines of ${path.relative(ROOT, logFile)} ---\n${tail(logFile)}`,
      );
    }
    if (elapsed >= timeoutS) {
      fail(
        `${part} not healthy after ${timeoutS}s.\n--- last lines of ${path.relative(ROOT, logFile)} ---\n${tail(logFile)}`,
      );
    }
    if (elapsed - lastReport >= 5) {
      lastReport = elapsed;
      log(`${part}: waiting (${elapsed}s)…`);
    }
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Prerequisites
function aptInstall(packages) {
  if (!IS_ROOT)
    fail(
      `missing ${packages.join(", ")}: install them (apt-get install ${packages.join(" ")}) or run as root`,
    );
  log(`installing ${packages.join(", ")} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-q"], { env });
  run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...packages], { env });
}
function pgBinDir() {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], "bin") : null;
}
function ensureSystemPackages({ infra }) {
  const missing = [];
  if (!pgBinDir()) missing.push("postgresql");
  if (!has("redis-server") || !has("redis-cli")) missing.push("redis-server");
  if (!infra && !has("nginx") && !fs.existsSync("/usr/sbin/nginx")) missing.push("nginx");
  if (missing.length) aptInstall(missing);
}
function ensurePnpm() {
  if (has("pnpm")) return;
  log(`installing pnpm@${PNPM_VERSION} (npm install -g)…`);
  run("npm", ["install", "-g", `pnpm@${PNPM_VERSION}`]);
}
function ensureDependencies() {
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

// ---------------------------------------------------------------------------------------------------------------
// Parts
const dirOf = (part) => path.join(STACK, part);
const logOf = (part) => path.join(dirOf(part), `${part}.log`);
const pidFileOf = (part) => path.join(dirOf(part), `${part}.pid`);

// --- Postgres -----------------------------------------------------------------------------------------------------
const PG_DATA_REL = ".stack/postgres/data";
const PG_DATA = path.join(ROOT, PG_DATA_REL);
const pgEnv = () => ({ ...process.env, PGPASSWORD: PG_PASSWORD });
const asPostgres = (args, opts = {}) =>
  IS_ROOT ? run("runuser", ["-u", "postgres", "--", ...args], opts) : run(args[0], args.slice(1), opts);

function databaseNames() {
  const names = new Set();
  for (const key of ["BASE_DATABASE_URL", "STORE_DATABASE_URL", "FACE_DATABASE_URL"]) {
    if (ENV[key]) names.add(new URL(ENV[key]).pathname.replace(/^\//, ""));
  }
  names.add("keycloak");
  return [...names];
}

/** Runs one SQL statement as the stack's superuser on the `postgres` database; returns unaligned output. */
function psqlAdmin(sql) {
  const psql = path.join(pgBinDir(), "psql");
  const args = ["-h", "127.0.0.1", "-p", String(PORTS.postgres), "-U", PG_USER, "-d", "postgres"];
  return run(psql, [...args, "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql], { capture: true, env: pgEnv() })
    .stdout;
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

const postgres = {
  name: "postgres",
  url: () => `postgresql://${PG_USER}:***@127.0.0.1:${PORTS.postgres}`,
  pid: () => {
    const pid = readPid(path.join(PG_DATA, "postmaster.pid"));
    return alive(pid) ? pid : null;
  },
  async start() {
    const bin = pgBinDir();
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
    spawnSync(path.join(pgBinDir(), "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(PORTS.postgres)])
      .status === 0,
  async afterHealthy() {
    const existing = new Set(psqlAdmin("select datname from pg_database").split("\n"));
    for (const db of databaseNames()) {
      if (existing.has(db)) continue;
      log(`postgres: creating database ${db}`);
      psqlAdmin(`create database "${db}"`);
    }
  },
  async stop() {
    asPostgres([path.join(pgBinDir(), "pg_ctl"), "-D", PG_DATA_REL, "-m", "fast", "-w", "stop"], {
      capture: true,
      allowFail: true,
    });
  },
  logFile: () => path.join(dirOf("postgres"), "postgres.log"),
  timeoutS: 60,
};

// --- Redis ----------------------------------------------------------------------------------------------------------
const redisCli = (...args) =>
  spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(PORTS.redis), ...args], { encoding: "utf8" });
const redis = {
  name: "redis",
  url: () => `redis://127.0.0.1:${PORTS.redis}`,
  pid() {
    const pid = readPid(pidFileOf("redis"));
    if (alive(pid)) return pid;
    // Adopt a redis-server started by hand with our layout (--dir .stack/redis).
    const dir = redisCli("config", "get", "dir");
    if (dir.status === 0 && dir.stdout.split("\n")[1]?.trim() === dirOf("redis")) {
      const info = redisCli("info", "server").stdout ?? "";
      const adopted = Number(/process_id:(\d+)/.exec(info)?.[1]);
      if (alive(adopted)) {
        mkdirp(dirOf("redis"));
        fs.writeFileSync(pidFileOf("redis"), `${adopted}\n`);
        return adopted;
      }
    }
    return null;
  },
  async start() {
    mkdirp(dirOf("redis"));
    if (await portOpen(PORTS.redis))
      fail(`redis: port ${PORTS.redis} is in use by another program (see troubleshooting in README.md)`);
    run("redis-server", [
      "--port",
      String(PORTS.redis),
      "--bind",
      "127.0.0.1",
      "--dir",
      dirOf("redis"),
      "--daemonize",
      "yes",
      "--pidfile",
      pidFileOf("redis"),
      "--logfile",
      logOf("redis"),
    ]);
  },
  healthy: async () => redisCli("ping").stdout?.trim() === "PONG",
  stop: async (pid) => stopPid(pid, { group: false }),
  logFile: () => logOf("redis"),
  timeoutS: 30,
};

// --- Chroma ---------------------------------------------------------------------------------------------------------
const chroma = {
  name: "chroma",
  url: () => `http://127.0.0.1:${PORTS.chroma}`,
  pid: () => {
    const pid = readPid(pidFileOf("chroma"));
    return alive(pid) ? pid : null;
  },
  async start() {
    const bin = path.join(ROOT, "node_modules", ".bin", "chroma");
    if (!fs.existsSync(bin))
      fail(
        "chroma: node_modules/.bin/chroma missing — run `pnpm install` (chromadb is a root devDependency)",
      );
    if (await portOpen(PORTS.chroma)) fail(`chroma: port ${PORTS.chroma} is in use by another program`);
    return startDetached(
      bin,
      ["run", "--path", ".stack/chroma/data", "--host", "127.0.0.1", "--port", String(PORTS.chroma)],
      {
        logFile: logOf("chroma"),
        pidFile: pidFileOf("chroma"),
      },
    );
  },
  healthy: async () => (await httpStatus(`http://127.0.0.1:${PORTS.chroma}/api/v2/heartbeat`)) === 200,
  stop: (pid) => stopPid(pid),
  logFile: () => logOf("chroma"),
  timeoutS: 60,
};

// --- Keycloak -------------------------------------------------------------------------------------------------------
const KC_HOME = path.join(STACK, "keycloak", `keycloak-${KEYCLOAK_VERSION}`);
const REALM_DIR = path.join(ROOT, "services", "base", "keycloak");
// Build-time options (baked in by `kc.sh build`, so every later boot can use the faster `start --optimized`).
const KC_BUILD_OPTS = [
  "--db=postgres",
  "--http-relative-path=/keycloak",
  "--health-enabled=false",
  "--metrics-enabled=false",
];

function findJava21() {
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(process.env.JAVA_HOME);
  if (fs.existsSync("/usr/lib/jvm"))
    for (const d of fs.readdirSync("/usr/lib/jvm")) candidates.push(path.join("/usr/lib/jvm", d));
  let best = null;
  for (const home of candidates) {
    const java = path.join(home, "bin", "java");
    if (!fs.existsSync(java)) continue;
    const out = spawnSync(java, ["-version"], { encoding: "utf8" }).stderr ?? "";
    const major = Number(/version "(\d+)/.exec(out)?.[1]);
    if (major >= 21 && (!best || major > best.major)) best = { home, major };
  }
  return best;
}
function keycloakTarball() {
  const m2 = path.join(
    process.env.HOME ?? "/root",
    ".m2",
    "repository",
    "org",
    "keycloak",
    "keycloak-quarkus-dist",
    KEYCLOAK_VERSION,
  );
  const tgz = path.join(m2, `keycloak-quarkus-dist-${KEYCLOAK_VERSION}.tar.gz`);
  if (fs.existsSync(tgz)) return tgz;
  if (!has("mvn")) aptInstall(["maven"]);
  log(`keycloak: fetching keycloak-quarkus-dist ${KEYCLOAK_VERSION} into the Maven cache (~200 MB, once)…`);
  run("mvn", [
    "-q",
    "-B",
    "dependency:get",
    `-Dartifact=org.keycloak:keycloak-quarkus-dist:${KEYCLOAK_VERSION}:tar.gz`,
    "-Dtransitive=false",
  ]);
  if (!fs.existsSync(tgz)) fail(`keycloak: ${tgz} still missing after mvn dependency:get`);
  return tgz;
}
function realmFiles() {
  return fs.existsSync(REALM_DIR)
    ? fs
        .readdirSync(REALM_DIR)
        .filter((f) => /^realm-.*\.json$/.test(f))
        .sort()
    : [];
}
function dropKeycloakDatabase() {
  psqlAdmin('drop database if exists "keycloak" with (force)');
  psqlAdmin('create database "keycloak"');
}
const keycloak = {
  name: "keycloak",
  url: () => `${KEYCLOAK_PUBLIC_URL} (direct: http://127.0.0.1:${PORTS.keycloak}/keycloak)`,
  pid: () => {
    const pid = readPid(pidFileOf("keycloak"));
    return alive(pid) ? pid : null;
  },
  async start() {
    const java = findJava21();
    if (!java)
      fail(
        "keycloak: needs Java 21+ (set JAVA_HOME, e.g. /usr/lib/jvm/temurin-25-jdk-amd64); Debian 12's OpenJDK 17 is too old",
      );
    const env = {
      JAVA_HOME: java.home,
      JAVA_OPTS_KC_HEAP: process.env.JAVA_OPTS_KC_HEAP ?? "-Xms64m -Xmx768m",
      KC_BOOTSTRAP_ADMIN_USERNAME: ENV.KEYCLOAK_ADMIN_USER ?? "admin",
      KC_BOOTSTRAP_ADMIN_PASSWORD: ENV.KEYCLOAK_ADMIN_PASSWORD ?? "admin",
    };
    if (!fs.existsSync(path.join(KC_HOME, "bin", "kc.sh"))) {
      const tgz = keycloakTarball();
      log(`keycloak: unpacking ${path.basename(tgz)}`);
      mkdirp(dirOf("keycloak"));
      const t = await runAsync("tar", ["xzf", tgz, "-C", dirOf("keycloak")], { cwd: ROOT });
      if (t.status !== 0) fail(`keycloak: unpacking ${tgz} failed:\n${t.output}`);
    }
    const buildStamp = path.join(dirOf("keycloak"), "build.stamp");
    const buildKey = `${KEYCLOAK_VERSION} ${java.major} ${KC_BUILD_OPTS.join(" ")}`;
    if (!fs.existsSync(buildStamp) || fs.readFileSync(buildStamp, "utf8") !== buildKey) {
      log("keycloak: optimising the distribution (kc.sh build, once)…");
      const r = await runAsync(path.join(KC_HOME, "bin", "kc.sh"), ["build", ...KC_BUILD_OPTS], {
        cwd: KC_HOME,
        env: { ...process.env, ...env },
      });
      if (r.status !== 0) fail(`keycloak: kc.sh build failed:\n${r.output}`);
      fs.writeFileSync(buildStamp, buildKey);
    }
    // Realm import (IGNORE_EXISTING): when a realm file changed since the last import, start from a fresh
    // keycloak database so the change is applied (dev data only: users registered locally are lost).
    const importDir = path.join(KC_HOME, "data", "import");
    fs.rmSync(importDir, { recursive: true, force: true });
    mkdirp(importDir);
    let realmText = "";
    for (const f of realmFiles()) {
      fs.copyFileSync(path.join(REALM_DIR, f), path.join(importDir, f));
      realmText += fs.readFileSync(path.join(REALM_DIR, f), "utf8");
    }
    const realmStamp = path.join(dirOf("keycloak"), "realm.stamp");
    const realmKey = sha(realmText);
    if (fs.existsSync(realmStamp) && fs.readFileSync(realmStamp, "utf8") !== realmKey) {
      log("keycloak: realm export changed since last import → recreating the keycloak database");
      dropKeycloakDatabase();
    }
    fs.writeFileSync(realmStamp, realmKey);
    if (await portOpen(PORTS.keycloak)) fail(`keycloak: port ${PORTS.keycloak} is in use by another program`);
    return startDetached(
      path.join(KC_HOME, "bin", "kc.sh"),
      [
        "start",
        "--optimized",
        "--import-realm",
        "--http-enabled=true",
        "--http-host=127.0.0.1",
        `--http-port=${PORTS.keycloak}`,
        `--hostname=${KEYCLOAK_PUBLIC_URL}`,
        "--hostname-backchannel-dynamic=true",
        "--proxy-headers=xforwarded",
        "--cache=local",
        `--db-url=jdbc:postgresql://127.0.0.1:${PORTS.postgres}/keycloak`,
        `--db-username=${PG_USER}`,
        `--db-password=${PG_PASSWORD}`,
      ],
      { cwd: KC_HOME, env, logFile: logOf("keycloak"), pidFile: pidFileOf("keycloak") },
    );
  },
  healthy: async () =>
    (await httpStatus(
      `http://127.0.0.1:${PORTS.keycloak}/keycloak/realms/${REALM}/.well-known/openid-configuration`,
    )) === 200,
  stop: (pid) => stopPid(pid, { timeoutMs: 30000 }),
  logFile: () => logOf("keycloak"),
  timeoutS: 240,
};

// --- The four services ---------------------------------------------------------------------------------------------
function service(name, { prefix, dbKey }) {
  const readyPath = prefix ? `${prefix}/ready` : "/ready";
  return {
    name,
    service: true,
    url: () => `http://127.0.0.1:${PORTS[name]}${prefix ?? "/"}`,
    pid: () => {
      const pid = readPid(pidFileOf(name));
      return alive(pid) || groupAlive(pid ?? 0) ? pid : null;
    },
    async start() {
      if (!fs.existsSync(path.join(ROOT, "services", name, "src", "main.ts"))) {
        log(`${name}: skipped (services/${name}/src/main.ts does not exist yet)`);
        return "skipped";
      }
      if (await portOpen(PORTS[name])) fail(`${name}: port ${PORTS[name]} is in use by another program`);
      if (name === "frontend") buildWebApp();
      const env = {
        ...ENV,
        PORT: String(PORTS[name]),
        HOST: "127.0.0.1",
        NODE_ENV: process.env.NODE_ENV ?? ENV.NODE_ENV ?? "development",
        // `up` has just applied the migrations itself.
        MIGRATE_ON_START: "false",
      };
      if (dbKey) env.DATABASE_URL = ENV[dbKey];
      return startDetached("pnpm", ["--filter", `@rail/${name}`, "start"], {
        env,
        logFile: logOf(name),
        pidFile: pidFileOf(name),
      });
    },
    healthy: async () => (await httpStatus(`http://127.0.0.1:${PORTS[name]}${readyPath}`)) === 200,
    stop: (pid) => stopPid(pid),
    logFile: () => logOf(name),
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

const base = service("base", { prefix: "/base_api/v1", dbKey: "BASE_DATABASE_URL" });
const store = service("store", { prefix: "/store_api/v1", dbKey: "STORE_DATABASE_URL" });
const face = service("face", { prefix: "/face_api/v1", dbKey: "FACE_DATABASE_URL" });
const frontend = service("frontend", {});

// --- nginx ----------------------------------------------------------------------------------------------------------
const NGINX_PREFIX = dirOf("nginx");
const nginxArgs = () => {
  const globals = ["daemon off;"];
  if (IS_ROOT) globals.push("user root;"); // workers must read the repo's static files and write .stack/nginx/temp
  return ["-p", NGINX_PREFIX, "-c", "conf/nginx.conf", "-e", "stderr", "-g", globals.join(" ")];
};
function writeNginxConfig() {
  const conf = path.join(NGINX_PREFIX, "conf");
  const temp = path.join(NGINX_PREFIX, "temp");
  mkdirp(conf);
  for (const t of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirp(path.join(temp, t));
  // The repository's nginx.conf is used as is (symlink); only a non-default RAIL_HTTP_PORT needs a patched copy.
  const target = path.join(conf, "nginx.conf");
  fs.rmSync(target, { force: true });
  if (PORTS.http === 8080) fs.symlinkSync(path.join(ROOT, "nginx.conf"), target);
  else
    fs.writeFileSync(
      target,
      fs
        .readFileSync(path.join(ROOT, "nginx.conf"), "utf8")
        .replace(/listen 8080;/g, `listen ${PORTS.http};`),
    );
  if (!fs.existsSync(path.join(conf, "mime.types"))) {
    const system = "/etc/nginx/mime.types";
    fs.writeFileSync(
      path.join(conf, "mime.types"),
      fs.existsSync(system)
        ? fs.readFileSync(system)
        : "types { text/html html; text/css css; application/javascript js; image/png png; image/svg+xml svg; }\n",
    );
  }
  const staticLink = path.join(NGINX_PREFIX, "static");
  fs.rmSync(staticLink, { force: true });
  fs.symlinkSync(path.join(ROOT, "services", "frontend", "static"), staticLink);
  const upstream = (name, port) =>
    `upstream rail_${name} {\n  server 127.0.0.1:${port} max_fails=0;\n  keepalive 16;\n}\n`;
  fs.writeFileSync(
    path.join(conf, "upstreams.conf"),
    [
      "# Generated by scripts/stack from .env / .env.example — do not edit (compose uses scripts/nginx/upstreams.compose.conf).\n",
      upstream("base", PORTS.base),
      upstream("store", PORTS.store),
      upstream("face", PORTS.face),
      upstream("frontend", PORTS.frontend),
      upstream("keycloak", PORTS.keycloak),
      "# Local temp paths (the distribution's defaults may not be writable).\n",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path temp/${t};\n`),
    ].join(""),
  );
  // stdout must be a real file for `access_log /dev/stdout` (node's pipes are sockets, which cannot be open()ed).
  const r = spawnSync("nginx", [...nginxArgs().slice(0, 6), "-t", "-q"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (r.status !== 0) fail(`nginx: configuration test failed:\n${r.stderr ?? r.error?.message}`);
}
const nginx = {
  name: "nginx",
  url: () => PUBLIC_URL,
  pid: () => {
    const pid = readPid(path.join(NGINX_PREFIX, "nginx.pid"));
    return alive(pid) ? pid : null;
  },
  async start() {
    writeNginxConfig();
    if (await portOpen(PORTS.http))
      fail(`nginx: port ${PORTS.http} is in use by another program (set RAIL_HTTP_PORT in .env)`);
    return startDetached("nginx", nginxArgs(), { logFile: logOf("nginx"), pidFile: null });
  },
  async whenRunning(pid) {
    // Pick up a changed nginx.conf or ports.
    writeNginxConfig();
    process.kill(pid, "SIGHUP");
  },
  healthy: async () => (await httpStatus(`http://127.0.0.1:${PORTS.http}/static/README.md`)) !== 0,
  stop: (pid) => stopPid(pid, { group: false }),
  logFile: () => logOf("nginx"),
  timeoutS: 20,
};

const INFRA = [postgres, redis, chroma, keycloak];
const SERVICES = [base, store, face, frontend];
const ALL = [...INFRA, ...SERVICES, nginx];
const byName = (name) =>
  ALL.find((p) => p.name === name) ??
  fail(`unknown part "${name}" (one of: ${ALL.map((p) => p.name).join(", ")})`);

// ---------------------------------------------------------------------------------------------------------------
// Commands
async function startPart(part) {
  const running = part.pid();
  if (running) {
    if (part.whenRunning) await part.whenRunning(running);
    if (!(await part.healthy())) {
      await waitFor(part.name, part.healthy, {
        timeoutS: part.timeoutS,
        logFile: part.logFile(),
        pid: running,
      });
    }
    log(`${part.name}: already running (pid ${running})`);
    return;
  }
  const started = Date.now();
  log(`${part.name}: starting`);
  const pid = await part.start();
  if (pid === "skipped") return;
  const secs = await waitFor(part.name, part.healthy, {
    timeoutS: part.timeoutS,
    logFile: part.logFile(),
    pid: typeof pid === "number" ? pid : null,
  });
  log(`${part.name}: up after ${((Date.now() - started) / 1000).toFixed(1)}s${secs > 0 ? "" : ""}`);
}

/** Runs `cmd args` asynchronously, resolving with { status, output } (output = stdout + stderr interleaved). */
function runAsync(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ status: 1, output: output + e.message }));
    child.on("close", (status) => resolve({ status, output }));
  });
}

/**
 * Generates the Prisma clients and applies migrations (`prisma migrate deploy`), one service at a time in parallel.
 * Same as `pnpm db:migrate`, except that each service gets its own database as DATABASE_URL (prisma needs it
 * even to generate offline).
 */
async function migrate() {
  const withPrisma = SERVICES.filter((s) =>
    fs.existsSync(path.join(ROOT, "services", s.name, "prisma", "schema.prisma")),
  );
  if (!withPrisma.length) return;
  const started = Date.now();
  const stampDir = path.join(STACK, "migrations");
  mkdirp(stampDir);
  const results = await Promise.all(
    withPrisma.map(async (s) => {
      // Skip when neither prisma/ nor the database URL changed since the last successful run.
      const stampFile = path.join(stampDir, `${s.name}.stamp`);
      const key = sha(
        ENV[`${s.name.toUpperCase()}_DATABASE_URL`] +
          hashTree(path.join(ROOT, "services", s.name, "prisma")) +
          hashTree(path.join(ROOT, "services", s.name, "prisma.config.ts")),
      );
      const generated = fs.existsSync(path.join(ROOT, "services", s.name, "src", "generated"));
      if (generated && fs.existsSync(stampFile) && fs.readFileSync(stampFile, "utf8") === key)
        return { name: s.name, status: 0, skipped: true };
      log(`${s.name}: prisma generate + migrate deploy…`);
      const env = { ...process.env, ...ENV, DATABASE_URL: ENV[`${s.name.toUpperCase()}_DATABASE_URL`] };
      const cwd = path.join(ROOT, "services", s.name);
      let r = await runAsync("pnpm", ["run", "db:generate"], { cwd, env });
      if (r.status === 0) r = await runAsync("pnpm", ["run", "db:migrate"], { cwd, env });
      if (r.status === 0) fs.writeFileSync(stampFile, key);
      return { name: s.name, ...r };
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

async function up({ infra = false } = {}) {
  const started = Date.now();
  mkdirp(STACK);
  ensureSystemPackages({ infra });
  ensurePnpm();
  ensureDependencies();
  await startPart(postgres);
  await postgres.afterHealthy();
  await startPart(redis);
  // Chroma and Keycloak boot in the background while migrations run.
  const bootingSlow = [chroma, keycloak].map((part) => startPart(part));
  const results = await Promise.allSettled([migrate(), ...bootingSlow]);
  for (const r of results) if (r.status === "rejected") throw r.reason;
  if (!infra) {
    for (const part of SERVICES) await startPart(part);
    await startPart(nginx);
  }
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  summary(infra);
}

function summary(infra) {
  const lines = infra
    ? [
        [
          "Postgres",
          `127.0.0.1:${PORTS.postgres} (user ${PG_USER}; databases ${databaseNames().join(", ")})`,
        ],
        ["Redis", `redis://127.0.0.1:${PORTS.redis}`],
        ["Chroma", `http://127.0.0.1:${PORTS.chroma}`],
        ["Keycloak", `http://127.0.0.1:${PORTS.keycloak}/keycloak (public: ${KEYCLOAK_PUBLIC_URL})`],
      ]
    : [
        ["Web app", `${PUBLIC_URL}/`],
        ["Base API docs", `${PUBLIC_URL}/base_api/v1/docs`],
        ["Store API docs", `${PUBLIC_URL}/store_api/v1/docs`],
        ["Face API docs", `${PUBLIC_URL}/face_api/v1/docs`],
        [
          "Keycloak admin",
          `${KEYCLOAK_PUBLIC_URL}/admin/ (${ENV.KEYCLOAK_ADMIN_USER ?? "admin"} / ${ENV.KEYCLOAK_ADMIN_PASSWORD ?? "admin"})`,
        ],
        ["Demo login", "demo / demo-passenger"],
        ["Postgres", `127.0.0.1:${PORTS.postgres} (user ${PG_USER})`],
        ["Logs", ".stack/<part>/<part>.log  (scripts/stack logs <part>)"],
      ];
  console.log("");
  for (const [k, v] of lines) console.log(`  ${k.padEnd(16)} ${v}`);
  console.log("");
}

async function down() {
  for (const part of [...ALL].reverse()) {
    const pid = part.pid();
    if (!pid) continue;
    log(`${part.name}: stopping (pid ${pid})`);
    await part.stop(pid);
    if (part.name !== "postgres")
      fs.rmSync(part.name === "nginx" ? path.join(NGINX_PREFIX, "nginx.pid") : pidFileOf(part.name), {
        force: true,
      });
  }
  log("stopped (data in .stack/ kept)");
}

async function status() {
  let allUp = true;
  for (const part of ALL) {
    const pid = part.pid();
    const healthy = pid ? await part.healthy() : false;
    if (!pid) allUp = false;
    const state = !pid ? "down" : healthy ? "up" : "unhealthy";
    console.log(
      `${part.name.padEnd(9)} ${state.padEnd(9)} ${pid ? `pid ${pid}`.padEnd(11) : "".padEnd(11)} ${part.url()}`,
    );
  }
  return allUp ? 0 : 3;
}

function logs(partName, follow) {
  const parts = partName ? [byName(partName)] : ALL;
  const files = parts.map((p) => p.logFile()).filter((f) => fs.existsSync(f));
  if (!files.length) fail("no logs yet (scripts/stack up)");
  if (follow) {
    spawnSync("tail", ["-n", partName ? "100" : "10", "-F", ...files], { stdio: "inherit" });
  } else {
    for (const f of files) {
      if (!partName) console.log(`==> ${path.relative(ROOT, f)} <==`);
      console.log(tail(f, partName ? 200 : 20));
    }
  }
}

/** Test-only tools: the web app's browser test drives Debian's Chromium (no browser download). */
function ensureTestTools() {
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!fs.existsSync(chromium)) aptInstall(["chromium"]);
}

async function test() {
  ensureTestTools();
  await up();
  // Fresh reports only: a package whose run crashes must not be counted with last run's results.
  for (const group of ["services", "packages"]) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const pkg of fs.readdirSync(dir))
      fs.rmSync(path.join(dir, pkg, "test-results.json"), { force: true });
  }
  // --only: `up` has just generated the Prisma clients, no need for turbo to run db:generate again.
  // --continue: every package runs and is counted.
  log("running the test suite (pnpm turbo run test --concurrency=1 --continue --only)…");
  // Packages read .env.example/.env themselves (packages/common/src/stack-env.ts); passing ENV here would also
  // force the services' LOG_LEVEL onto the tests, which default to silent.
  const env = { ...process.env, RAIL_STACK_UP: "1", RAIL_TEST_STARTED_AT: String(Date.now() - 1000) };
  const t = spawnSync("pnpm", ["turbo", "run", "test", "--concurrency=1", "--continue", "--only"], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  const s = spawnSync(process.execPath, [path.join(ROOT, "scripts", "test-summary.mjs")], {
    cwd: ROOT,
    stdio: "inherit",
    env,
  });
  return t.status === 0 && s.status === 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------------------------
const USAGE = `usage: scripts/stack <command>
  up [--infra]      start Postgres, Redis, Chroma, Keycloak (+ base, store, face, frontend, nginx unless --infra)
  down              stop everything the stack started (data in .stack/ is kept)
  status            show each part (exit 3 if any is down)
  logs [part] [-f]  show (or follow) logs: ${ALL.map((p) => p.name).join(", ")}
  start|stop|restart <part>...   one part only (e.g. after changing a service: scripts/stack restart base)
  test              up, then pnpm turbo run test, then "N passed, N failed"`;

async function main(argv) {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case "up":
      await up({ infra: rest.includes("--infra") });
      return 0;
    case "down":
      await down();
      return 0;
    case "status":
      return status();
    case "logs":
      logs(
        rest.find((a) => !a.startsWith("-")),
        rest.includes("-f") || rest.includes("--follow"),
      );
      return 0;
    case "test":
      return test();
    case "start":
    case "stop":
    case "restart": {
      if (!rest.length) fail(`usage: scripts/stack ${cmd} <part>...`);
      for (const name of rest) {
        const part = byName(name);
        if (cmd !== "start") {
          const pid = part.pid();
          if (pid) {
            log(`${part.name}: stopping (pid ${pid})`);
            await part.stop(pid);
          }
        }
        if (cmd !== "stop") await startPart(part);
      }
      return 0;
    }
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof StackError) console.error(`[stack] ERROR: ${err.message}`);
    else console.error(err);
    process.exit(1);
  },
);
