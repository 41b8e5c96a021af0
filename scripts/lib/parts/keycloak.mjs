// @ts-check
// Keycloak: the Quarkus distribution from the Maven cache, unpacked into .stack/keycloak, optimised once by
// `kc.sh build`, started with `kc.sh start --optimized` on the stack's Postgres, realm imported from
// services/base/keycloak/realm-*.json.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { CONFIG, PORTS } from "../env.mjs";
import {
  alive,
  has,
  httpStatus,
  portOpen,
  readPid,
  run,
  runAsync,
  startDetached,
  stopPid,
} from "../processes.mjs";
import { aptInstall } from "../prereqs.mjs";
import { dirOf, fail, log, logOf, mkdirp, pidFileOf, ROOT, sha, STACK } from "../util.mjs";
import { psqlAdmin } from "./postgres.mjs";

export const KEYCLOAK_VERSION = "26.5.6";
const KC_HOME = path.join(STACK, "keycloak", `keycloak-${KEYCLOAK_VERSION}`);
const REALM_DIR = path.join(ROOT, "services", "base", "keycloak");
// Build-time options (baked in by `kc.sh build`, so every later boot can use the faster `start --optimized`).
const KC_BUILD_OPTS = [
  "--db=postgres",
  "--http-relative-path=/keycloak",
  "--health-enabled=false",
  "--metrics-enabled=false",
];

/**
 * The major version in `java -version` output (e.g. `openjdk version "21.0.2"` → 21; `"1.8.0"` → 1), or NaN.
 * @param {string} output
 */
export const javaMajor = (output) => Number(/version "(\d+)/.exec(output)?.[1]);

/** The newest Java 21+ among JAVA_HOME and /usr/lib/jvm/*, or null. */
function findJava21() {
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(process.env.JAVA_HOME);
  if (fs.existsSync("/usr/lib/jvm"))
    for (const d of fs.readdirSync("/usr/lib/jvm")) candidates.push(path.join("/usr/lib/jvm", d));
  /** @type {{ home: string, major: number } | null} */
  let best = null;
  for (const home of candidates) {
    const java = path.join(home, "bin", "java");
    if (!fs.existsSync(java)) continue;
    const major = javaMajor(spawnSync(java, ["-version"], { encoding: "utf8" }).stderr ?? "");
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

/** The URL the realm export is written for; the stack imports it for RAIL_PUBLIC_URL instead. */
export const REALM_EXPORT_PUBLIC_URL = "http://localhost:8080";

/**
 * A realm export with its clients' URLs (root URL, redirect URIs, web origins, post-logout redirects) moved from
 * the export's http://localhost:8080 to the stack's public URL, so sign-in works on other ports and hosts (pure).
 * The stamp of the imported text includes the URL: changing RAIL_PUBLIC_URL re-imports the realm.
 * @param {string} text
 * @param {string} publicUrl
 */
export function realmForPublicUrl(text, publicUrl) {
  const target = publicUrl.replace(/\/+$/, "");
  return text.replace(/http:\/\/localhost:8080(?=[/"])/g, () => target);
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

/** @type {import("./part.mjs").Part} */
export const keycloak = {
  name: "keycloak",
  url: () => `${CONFIG.keycloakPublicUrl} (direct: http://127.0.0.1:${PORTS.keycloak}/keycloak)`,
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
      KC_BOOTSTRAP_ADMIN_USERNAME: CONFIG.keycloakAdmin.user,
      KC_BOOTSTRAP_ADMIN_PASSWORD: CONFIG.keycloakAdmin.password,
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
      const text = realmForPublicUrl(fs.readFileSync(path.join(REALM_DIR, f), "utf8"), CONFIG.publicUrl);
      fs.writeFileSync(path.join(importDir, f), text);
      realmText += text;
    }
    // Realm themes (services/base/keycloak/themes/<name>): copied fresh on every start (Keycloak caches them).
    const themesDir = path.join(REALM_DIR, "themes");
    if (fs.existsSync(themesDir)) {
      for (const theme of fs.readdirSync(themesDir)) {
        fs.rmSync(path.join(KC_HOME, "themes", theme), { recursive: true, force: true });
        fs.cpSync(path.join(themesDir, theme), path.join(KC_HOME, "themes", theme), { recursive: true });
      }
    }
    // Keycloak keeps gzipped copies of theme resources across restarts (same URL version): drop them, or an edited
    // stylesheet is still served in its old form to every browser (which all ask for gzip).
    fs.rmSync(path.join(KC_HOME, "data", "tmp", "kc-gzip-cache"), { recursive: true, force: true });
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
        `--hostname=${CONFIG.keycloakPublicUrl}`,
        "--hostname-backchannel-dynamic=true",
        "--proxy-headers=xforwarded",
        "--cache=local",
        `--db-url=jdbc:postgresql://127.0.0.1:${PORTS.postgres}/keycloak`,
        `--db-username=${CONFIG.postgres.user}`,
        `--db-password=${CONFIG.postgres.password}`,
      ],
      { cwd: KC_HOME, env, logFile: logOf("keycloak"), pidFile: pidFileOf("keycloak") },
    );
  },
  healthy: async () =>
    (await httpStatus(
      `http://127.0.0.1:${PORTS.keycloak}/keycloak/realms/${CONFIG.realm}/.well-known/openid-configuration`,
    )) === 200,
  stop: (pid) => stopPid(pid, { timeoutMs: 30000 }),
  logFile: () => logOf("keycloak"),
  timeoutS: 240,
};
