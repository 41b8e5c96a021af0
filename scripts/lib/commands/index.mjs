// @ts-check
// The command table of scripts/stack. To add a command: write scripts/lib/commands/<name>.mjs exporting
// `defineCommand({ usage, summary, options, positionals, run })` and add one line below; `scripts/stack help`,
// `scripts/stack <name> --help` and the argument parsing (node:util parseArgs, strict) come for free.
import bench from "./bench.mjs";
import down from "./down.mjs";
import logs from "./logs.mjs";
import { restart, start, stop } from "./parts.mjs";
import reliability from "./reliability.mjs";
import seed from "./seed.mjs";
import status from "./status.mjs";
import test from "./test.mjs";
import up from "./up.mjs";

/** @type {Record<string, import("./command.mjs").Command>} */
export const COMMANDS = {
  up,
  down,
  status,
  logs,
  start,
  stop,
  restart,
  test,
  bench,
  seed,
  reliability,
};
