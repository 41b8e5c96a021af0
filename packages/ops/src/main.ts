#!/usr/bin/env -S npx tsx
/** `pnpm ops <command>`: see `pnpm ops --help` and packages/ops/README.md. */
import { terminalPrompter } from "./credentials.js";
import { processIo } from "./output.js";
import { runCli } from "./program.js";

// `pnpm ops` runs in the repository root; file arguments are meant relative to where the command was typed.
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const argv = process.argv.slice(2);
// `pnpm ops -- engineers list` passes the `--` through.
if (argv[0] === "--") argv.shift();
runCli(argv, { io: processIo, env: process.env, prompter: terminalPrompter }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
