import { BASE, STORE } from "./env.js";
import { call, engineerToken, enrolRobot, login, ok, type RsaClient } from "./api.js";

/** What several scenarios share, and everything to remove at the end. */
export class Fixtures {
  admin = "";
  robot!: RsaClient;
  robotToken = "";
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  async setUp() {
    this.admin = await engineerToken();
    this.robot = await enrolRobot();
    this.onCleanup(() => call("DELETE", `${BASE}/admin/robots/${this.robot.id}`, this.admin));
    this.robotToken = await login(this.robot);
  }

  onCleanup(fn: () => Promise<unknown>) {
    this.cleanups.push(fn);
  }

  async user(name: string): Promise<string> {
    const user = await ok("POST", `${BASE}/admin/user`, this.admin, { name });
    this.onCleanup(() => call("DELETE", `${BASE}/admin/users/${user.id}`, this.admin));
    return user.id as string;
  }

  async store(name: string): Promise<string> {
    const store = await ok("POST", `${STORE}/admin/store`, this.admin, {
      name,
      description: "benchmark",
      logo_url: "bench.png",
      store_type: "SHOP",
    });
    this.onCleanup(() => call("DELETE", `${STORE}/admin/store/${store.id}`, this.admin));
    return store.id as string;
  }

  /** Last in, first out; a failing clean-up is reported and the others still run. */
  async cleanUp() {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`clean-up step failed: ${(err as Error).message}`);
      }
    }
    this.cleanups.length = 0;
  }
}
