// @ts-check
import { spawnSync } from "node:child_process";
import { up } from "../lifecycle.mjs";
import { ROOT } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "[--short] [--only kit,robot,tickets,purchases,face] [--out file]",
  summary:
    "up, then pnpm bench: every scenario through nginx, ratios to the kit baseline -> docs/benchmarks.md",
  options: { short: { type: "boolean" }, only: { type: "string" }, out: { type: "string" } },
  async run({ values }) {
    await up();
    const args = ["bench"];
    if (values.short) args.push("--short");
    if (typeof values.only === "string") args.push("--only", values.only);
    if (typeof values.out === "string") args.push("--out", values.out);
    return spawnSync("pnpm", args, { cwd: ROOT, stdio: "inherit" }).status ?? 1;
  },
});
