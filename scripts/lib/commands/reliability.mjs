// @ts-check
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { up } from "../lifecycle.mjs";
import { log, ROOT } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "",
  summary:
    "up, then the reliability suite (schemathesis, auth enumeration, fault scenarios, replicas; a few minutes)",
  async run() {
    await up();
    const dir = path.join(ROOT, "packages", "reliability");
    fs.rmSync(path.join(dir, "test-results.json"), { force: true });
    log(
      "running the reliability suite (packages/reliability: its own services and databases; it stops the stack's face once)…",
    );
    const t = spawnSync("pnpm", ["--filter", "@rail/reliability", "test"], { cwd: ROOT, stdio: "inherit" });
    return t.status === 0 ? 0 : 1;
  },
});
