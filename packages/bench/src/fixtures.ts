import { BASE, STORE } from "./env.js";
import { call, engineerToken, enrolRobot, login, ok, type RsaClient } from "./api.js";

/** DELETE that counts as done on 2xx or 404 (already gone); anything else is an error the clean-up reports. */
export async function remove(url: string, token: () => string): Promise<void> {
  const res = await call("DELETE", url, token());
  if (res.status !== 404 && (res.status < 200 || res.status > 299))
    throw new Error(`DELETE ${url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
}

/** What several scenarios share, and everything to remove at the end. */
export class Fixtures {
  admin = "";
  robot!: RsaClient;
  robotToken = "";
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  async setUp() {
    this.admin = await engineerToken();
    this.robot = await enrolRobot();
    this.onCleanup(() => remove(`${BASE}/admin/robots/${this.robot.id}`, () => this.admin));
    this.robotToken = await login(this.robot);
  }

  onCleanup(fn: () => Promise<unknown>) {
    this.cleanups.push(fn);
  }

  async user(name: string): Promise<string> {
    const user = await ok("POST", `${BASE}/admin/user`, this.admin, { name });
    this.onCleanup(() => remove(`${BASE}/admin/users/${user.id}`, () => this.admin));
    return user.id as string;
  }

  async store(name: string): Promise<string> {
    const store = await ok("POST", `${STORE}/admin/store`, this.admin, {
      name,
      description: "benchmark",
      logo_url: "bench.png",
      store_type: "SHOP",
    });
    this.onCleanup(() => remove(`${STORE}/admin/store/${store.id}`, () => this.admin));
    // A terminal enrolled for the store keeps its key in the base service until removed there (idempotent).
    this.onCleanup(() => remove(`${BASE}/admin/store_terminals/${store.id}`, () => this.admin));
    return store.id as string;
  }

  /**
   * Last in, first out; a failing clean-up is reported and the others still run. Logs in again first: the run's
   * engineer session may have ended meanwhile (a Redis restart, a revoked engineer), and clean-up must not fail
   * silently on 401. One clean-up at a time: a second call (Ctrl-C's, then the run's own `finally` when the
   * interrupted scenario gives up) waits for the first instead of running the same steps again beside it.
   */
  cleanUp(): Promise<void> {
    this.cleaning ??= this.runCleanUps().finally(() => {
      this.cleaning = undefined;
    });
    return this.cleaning;
  }

  private cleaning: Promise<void> | undefined;

  private async runCleanUps() {
    try {
      this.admin = await engineerToken();
    } catch (err) {
      console.error(`clean-up: engineer login failed: ${(err as Error).message}`);
    }
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`clean-up step failed: ${(err as Error).message}`);
      }
    }
  }
}
