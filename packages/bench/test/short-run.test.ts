import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * CI runs the benchmark once, in its short mode, only to prove the command works end to end and that the
 * zero-oversell checks hold under concurrent load. No figure is asserted: benchmarks are not timed tests.
 */
describe("pnpm bench --short", () => {
  it("runs every scenario against the stack, sells no unit twice and writes the report", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-")), "benchmarks.md");
    // Asynchronously: a blocking spawnSync would starve vitest's own worker messages for minutes.
    const child = spawn("pnpm", ["bench", "--short", "--out", out], { cwd: ROOT });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(status, log).toBe(0);
    const report = readFileSync(out, "utf8");
    expect(report).not.toContain("**failed:**");
    // Both purchase shapes and the drain passed their stock checks (a failed check stops the section instead).
    expect(report.match(/none oversold/g)?.length, report).toBeGreaterThanOrEqual(3);
    expect(report).toMatch(/hot item drained: \d+ units/);
    for (const section of [
      "kit baseline",
      "ticket check by code",
      "user lookup",
      "robot login",
      "purchases of one hot item",
      "bare Express 5 + pg",
      "## The hot paths against their framework ceiling",
    ])
      expect(report).toContain(section);
  });
});
