// @ts-check
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { up } from "../lifecycle.mjs";
import { ensureTestTools } from "../prereqs.mjs";
import { log, ROOT } from "../util.mjs";
import { defineCommand } from "./command.mjs";

/** Directories of workspace packages that write test-results.json (scripts/test-summary.mjs reads the same). */
export function testPackageDirs() {
  const dirs = [path.join(ROOT, "scripts")];
  for (const group of ["packages", "services"]) {
    const dir = path.join(ROOT, group);
    if (fs.existsSync(dir)) for (const pkg of fs.readdirSync(dir)) dirs.push(path.join(dir, pkg));
  }
  return dirs;
}

export default defineCommand({
  usage: "",
  summary: 'up, then every package\'s tests (pnpm turbo run test), then "N passed, N failed"',
  async run() {
    ensureTestTools();
    await up();
    // Fresh reports only: a package whose run crashes must not be counted with last run's results.
    for (const dir of testPackageDirs()) fs.rmSync(path.join(dir, "test-results.json"), { force: true });
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
  },
});
