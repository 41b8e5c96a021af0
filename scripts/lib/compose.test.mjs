// @ts-check
// compose.yml checked against the repository: `docker compose config` where the compose plugin exists, and always a
// structural check (the build arguments, ports, databases, mounts and nginx upstreams the stack also uses).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { describe, expect, test } from "vitest";
import { loadEnvFiles } from "../../packages/common/src/env-file.mjs";
import { stackConfig } from "./env.mjs";

const ROOT = path.resolve(import.meta.dirname, "../..");
const hasCompose = spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0;

/**
 * @typedef {{ build?: { context?: string, dockerfile?: string, args?: Record<string, string> },
 *   environment?: Record<string, string>, depends_on?: Record<string, unknown>, volumes?: string[],
 *   healthcheck?: { test?: string[] | string }, ports?: string[] }} ComposeService
 */
const compose = /** @type {{ services: Record<string, ComposeService> }} */ (
  yaml.load(fs.readFileSync(path.join(ROOT, "compose.yml"), "utf8"))
);
const env = loadEnvFiles(ROOT, {});
const ports = stackConfig(env).ports;
const APP_SERVICES = /** @type {const} */ (["base", "store", "face", "frontend"]);

test.runIf(hasCompose)("docker compose config accepts compose.yml", () => {
  const r = spawnSync("docker", ["compose", "config", "-q"], { cwd: ROOT, encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

describe("compose.yml", () => {
  test("defines the stack's parts", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["base", "chroma", "face", "frontend", "keycloak", "nginx", "postgres", "redis", "store"].sort(),
    );
  });

  test.each(APP_SERVICES)(
    "%s is built from the one Dockerfile with its name and the stack's port",
    (name) => {
      const svc = compose.services[name];
      expect(svc?.build?.context).toBe(".");
      expect(svc?.build?.dockerfile ?? "Dockerfile").toBe("Dockerfile");
      expect(svc?.build?.args).toEqual({ SERVICE: name, PORT: String(ports[name]) });
      expect(fs.existsSync(path.join(ROOT, "services", name, "src", "main.ts"))).toBe(true);
      expect(svc?.environment?.PORT).toBe(String(ports[name]));
      expect(JSON.stringify(svc?.healthcheck?.test)).toContain(`http://127.0.0.1:${ports[name]}/`);
    },
  );

  test.each(["base", "store", "face"])("%s uses the same database as the local stack", (name) => {
    const local = new URL(env[`${name.toUpperCase()}_DATABASE_URL`] ?? "").pathname;
    const url = compose.services[name]?.environment?.DATABASE_URL ?? "";
    expect(url.replace(/\$\{[^}]*\}/g, "x")).toMatch(new RegExp(`@postgres:5432${local}$`));
  });

  test("depends_on names defined services and bind mounts name files in the repository", () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const dep of Object.keys(svc.depends_on ?? {}))
        expect(compose.services, `${name} → ${dep}`).toHaveProperty(dep);
      for (const volume of svc.volumes ?? []) {
        const source = volume.split(":")[0] ?? "";
        if (source.startsWith("./"))
          expect(fs.existsSync(path.join(ROOT, source)), `${name}: ${source}`).toBe(true);
      }
    }
  });

  test("the Dockerfile takes SERVICE and PORT as build arguments", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toMatch(/^ARG PORT$/m);
    expect(dockerfile).toContain('--filter "@rail/${SERVICE}..."');
  });

  test("nginx's compose upstreams point at the services' ports", () => {
    const conf = fs.readFileSync(path.join(ROOT, "scripts", "nginx", "upstreams.compose.conf"), "utf8");
    const servers = [...conf.matchAll(/server (\w+):(\d+)/g)].map((m) => [m[1], m[2]]);
    expect(servers.map(([host]) => host).sort()).toEqual([...APP_SERVICES, "keycloak"].sort());
    for (const [host, port] of servers) {
      const expected =
        host === "keycloak"
          ? compose.services.keycloak?.environment?.KC_HTTP_PORT
          : compose.services[host ?? ""]?.environment?.PORT;
      expect(port, String(host)).toBe(expected);
    }
  });
});
