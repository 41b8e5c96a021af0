/** Shared plumbing of the end-to-end tests: the stack's addresses through nginx and small HTTP helpers. */
import { test } from "vitest";
import { call, enrolRsaClient, loadStackEnv, loginRsaClient, type Reply } from "@rail/common/testing";

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
