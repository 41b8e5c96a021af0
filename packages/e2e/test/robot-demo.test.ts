/**
 * Smoke test: `pnpm robot:demo` (packages/robot-sdk/demo/robot-demo.ts) runs a robot's working day against the
 * stack through nginx with the robot SDK and exits 0 only if every step behaved and everything it created was
 * deleted again.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ENTRY } from "./support.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("robot simulator", () => {
  it("runs a robot's day (enrol, login, RFID, QR + face tickets, destination, stores, purchase, delivery)", () => {
    const run = spawnSync(
      path.join(ROOT, "node_modules/.bin/tsx"),
      [path.join(ROOT, "packages/robot-sdk/demo/robot-demo.ts")],
      { cwd: ROOT, env: { ...process.env, RAIL_PUBLIC_URL: ENTRY }, encoding: "utf8", timeout: 170_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/Robot demo passed: 19 steps ok, 0 failed/);
  }, 180_000);
});
