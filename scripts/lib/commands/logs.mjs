// @ts-check
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ALL, byName, PART_NAMES } from "../parts/index.mjs";
import { tail } from "../processes.mjs";
import { fail, ROOT } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "[part] [-f]",
  summary: `show (or follow) logs: ${PART_NAMES.join(", ")}`,
  options: { follow: { type: "boolean", short: "f" } },
  positionals: true,
  run({ values, positionals }) {
    const [partName] = positionals;
    const parts = partName ? [byName(partName)] : ALL;
    const files = parts.map((p) => p.logFile()).filter((f) => fs.existsSync(f));
    if (!files.length) fail("no logs yet (scripts/stack up)");
    if (values.follow) {
      spawnSync("tail", ["-n", partName ? "100" : "10", "-F", ...files], { stdio: "inherit" });
      return;
    }
    for (const f of files) {
      if (!partName) console.log(`==> ${path.relative(ROOT, f)} <==`);
      console.log(tail(f, partName ? 200 : 20));
    }
  },
});
