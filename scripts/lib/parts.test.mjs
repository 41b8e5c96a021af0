// @ts-check
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { stackConfig } from "./env.mjs";
import { formatSummary, summaryLines } from "./lifecycle.mjs";
import { javaMajor } from "./parts/keycloak.mjs";
import { upstreamsConf, withListenPort } from "./parts/nginx.mjs";
import { databaseNames } from "./parts/postgres.mjs";
import { serviceEnv } from "./parts/services.mjs";
import { parsePid, waitFor } from "./processes.mjs";

describe("start-up summary", () => {
  test("prints the engineer login from the env files, besides Keycloak's", () => {
    const config = stackConfig({ BOOTSTRAP_ENGINEER_LOGIN: "chief", BOOTSTRAP_ENGINEER_PASSWORD: "s3cret" });
    const text = formatSummary(summaryLines(config, { infra: false, databases: [] }));
    expect(text).toMatch(/Engineer login\s+chief \/ s3cret/);
    expect(text).toMatch(/Keycloak admin\s+http:\/\/localhost:8080\/keycloak\/admin\/ \(admin \/ admin\)/);
  });

  test("--infra lists the infrastructure with the databases", () => {
    const lines = summaryLines(stackConfig({}), { infra: true, databases: ["rail_base", "keycloak"] });
    expect(lines.map(([k]) => k)).toEqual(["Postgres", "Redis", "Chroma", "Keycloak"]);
    expect(lines[0]?.[1]).toContain("databases rail_base, keycloak");
  });
});

test("databaseNames: one per service URL plus keycloak, without duplicates", () => {
  expect(
    databaseNames({
      BASE_DATABASE_URL: "postgresql://u:p@127.0.0.1:5/rail_base",
      STORE_DATABASE_URL: "postgresql://u:p@127.0.0.1:5/rail_store?schema=public",
      FACE_DATABASE_URL: "postgresql://u:p@127.0.0.1:5/rail_base",
    }),
  ).toEqual(["rail_base", "rail_store", "keycloak"]);
});

test("serviceEnv gives each service its own port and database, and no migration on start", () => {
  const env = serviceEnv(
    { BASE_DATABASE_URL: "postgresql://x/rail_base", LOG_LEVEL: "info" },
    {
      port: 8001,
      dbKey: "BASE_DATABASE_URL",
    },
  );
  expect(env).toMatchObject({
    PORT: "8001",
    HOST: "127.0.0.1",
    DATABASE_URL: "postgresql://x/rail_base",
    MIGRATE_ON_START: "false",
    NODE_ENV: "development",
    LOG_LEVEL: "info",
  });
  expect(() => serviceEnv({}, { port: 1, dbKey: "STORE_DATABASE_URL" })).toThrow(
    /STORE_DATABASE_URL is not set/,
  );
});

test("nginx: upstreams follow the configured ports; another HTTP port patches listen", () => {
  const conf = upstreamsConf({ base: 9001, store: 9002, face: 9003, frontend: 9004, keycloak: 9180 });
  expect(conf).toMatch(/upstream rail_base \{\n {2}server 127\.0\.0\.1:9001 /);
  expect(conf).toMatch(/upstream rail_keycloak \{\n {2}server 127\.0\.0\.1:9180 /);
  expect(conf).toContain("proxy_temp_path temp/proxy;");
  const nginxConf = fs.readFileSync(path.resolve(import.meta.dirname, "../../nginx.conf"), "utf8");
  expect(nginxConf).toContain("listen 8080;");
  const patched = withListenPort(nginxConf, 9090);
  expect(patched).toContain("listen 9090;");
  expect(patched).not.toContain("listen 8080;");
});

test("javaMajor reads the major version of `java -version`", () => {
  expect(javaMajor('openjdk version "25.0.1" 2025-10-21')).toBe(25);
  expect(javaMajor('openjdk version "17.0.9"')).toBe(17);
  expect(javaMajor("garbage")).toBeNaN();
});

test("parsePid accepts a positive integer on the first line only", () => {
  expect(parsePid("1234\n/var/lib/x\n")).toBe(1234);
  expect(parsePid(" 42 ")).toBe(42);
  expect(parsePid("0")).toBeNull();
  expect(parsePid("abc")).toBeNull();
  expect(parsePid("")).toBeNull();
});

describe("waitFor", () => {
  const logFile = path.join(os.tmpdir(), `stack-waitfor-${process.pid}.log`);

  test("resolves once the check passes", async () => {
    let calls = 0;
    const waited = await waitFor("part", async () => ++calls >= 3, { timeoutS: 5, logFile, pollMs: 5 });
    expect(calls).toBe(3);
    expect(waited).toBeLessThan(5);
  });

  test("fails after the timeout with the tail of the part's log", async () => {
    fs.writeFileSync(logFile, "line 1\nthe real reason\n");
    await expect(
      waitFor("keycloak", async () => false, { timeoutS: 0.05, logFile, pollMs: 5 }),
    ).rejects.toThrow(/keycloak not healthy after 0.05s[\s\S]*the real reason/);
  });

  test("fails at once when the process it waits for is gone", async () => {
    await expect(
      waitFor("base", async () => false, { timeoutS: 30, logFile, pid: 2 ** 22 + 12345, pollMs: 5 }),
    ).rejects.toThrow(/base exited during startup/);
  });
});

test("up seeds a stack never seeded, or last seeded more than 12 hours ago", async () => {
  const { seedDue } = await import("./seed.mjs");
  const now = new Date("2026-12-01T12:00:00Z");
  expect(seedDue(undefined, now)).toBe(true);
  expect(seedDue("garbage", now)).toBe(true);
  expect(seedDue("2026-12-01T01:00:00Z", now)).toBe(false);
  expect(seedDue("2026-11-30T23:59:00Z", now)).toBe(true);
});
