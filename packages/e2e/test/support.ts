/** Shared plumbing of the end-to-end tests: the stack's addresses through nginx and small HTTP helpers. */
import { spawn } from "node:child_process";
import { test } from "vitest";
import {
  REPO_ROOT,
  call,
  enrolRsaClient,
  freePort,
  loadStackEnv,
  loginRsaClient,
  type Reply,
} from "@rail/common/testing";

export { call, type Reply };

export const ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
export const ENTRY = `http://127.0.0.1:${ENV.RAIL_HTTP_PORT ?? "8080"}`;
export const BASE = `${ENTRY}/base_api/v1`;
export const STORE = `${ENTRY}/store_api/v1`;

const ENGINEER = { login: ENV.BOOTSTRAP_ENGINEER_LOGIN, password: ENV.BOOTSTRAP_ENGINEER_PASSWORD };

/** A session token of the bootstrap engineer (ADMIN). */
export async function engineerToken(): Promise<string> {
  const login = await call("POST", `${BASE}/auth/engineer/login`, undefined, ENGINEER);
  if (login.status !== 200) throw new Error(`engineer login: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body.token as string;
}

/** Enrols a fresh RSA key with the bootstrap engineer and answers a login challenge, as robots and terminals do. */
export async function enrolAndLogin(
  kind: "robot" | "store",
  enrolment: Record<string, unknown>,
): Promise<{ id: string; token: string }> {
  const client = await enrolRsaClient(BASE, ENGINEER, kind, enrolment);
  return { id: client.id, token: await loginRsaClient(BASE, client) };
}

export interface ServiceCopy {
  /** Its API prefix, e.g. http://127.0.0.1:40123/store_api/v1. */
  url: string;
  /** Stops its process group (SIGTERM, then SIGKILL). */
  stop: () => Promise<void>;
}

/**
 * A second copy of a service (`pnpm --filter @rail/<service> start`) on a spare port, with the stack's database
 * and `env` on top (a dependency pointing nowhere, a feature switched on), once `<url>/<readyPath>` answers 2xx.
 */
export async function startServiceCopy(
  service: "base" | "store",
  env: Record<string, string>,
  readyPath: "health" | "ready" = "ready",
): Promise<ServiceCopy> {
  const port = await freePort();
  const child = spawn("pnpm", ["--filter", `@rail/${service}`, "start"], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      ...ENV,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: ENV[`${service.toUpperCase()}_DATABASE_URL`],
      MIGRATE_ON_START: "false",
      LOG_LEVEL: "warn",
      NODE_ENV: "development",
      ...env,
    },
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (!child.pid) return;
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const url = `http://127.0.0.1:${port}/${service}_api/v1`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`second ${service} service exited:\n${output}`);
    const up = await fetch(`${url}/${readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`second ${service} service did not start within 90s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Undo steps of one test, run after it in reverse order (also when it failed). */
export interface Cleanup {
  add(undo: () => Promise<unknown>): void;
}

/**
 * `it` with per-test fixtures (vitest `test.extend`): `admin`, an engineer token, and `cleanup`, which deletes
 * what the test created once it ends — instead of hand-written beforeAll/afterAll blocks per file.
 */
export const stackTest = test.extend<{ admin: string; cleanup: Cleanup }>({
  // eslint-disable-next-line no-empty-pattern -- vitest fixtures take their dependencies by destructuring
  admin: async ({}, use) => {
    await use(await engineerToken());
  },
  // eslint-disable-next-line no-empty-pattern
  cleanup: async ({}, use) => {
    const steps: Array<() => Promise<unknown>> = [];
    await use({ add: (undo) => void steps.push(undo) });
    // Every step runs; any that failed (an exception, or an HTTP answer other than 2xx/404) fails the test, so a
    // test cannot silently leave data behind in the stack's databases.
    const failures: string[] = [];
    for (const undo of steps.reverse()) {
      try {
        const r = (await undo()) as Partial<Reply> | undefined;
        if (r?.status && r.status >= 300 && r.status !== 404)
          failures.push(`${r.status} ${JSON.stringify(r.body)}`);
      } catch (err) {
        failures.push(String(err));
      }
    }
    if (failures.length) throw new Error(`clean-up failed:\n${failures.join("\n")}`);
  },
});
