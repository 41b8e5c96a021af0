// @ts-check
// start / stop / restart of single parts.
import { startPart, stopPart } from "../lifecycle.mjs";
import { byName } from "../parts/index.mjs";
import { fail } from "../util.mjs";
import { defineCommand } from "./command.mjs";

/**
 * @param {"start" | "stop" | "restart"} verb
 * @param {string} summary
 */
const partCommand = (verb, summary) =>
  defineCommand({
    usage: "<part>...",
    summary,
    positionals: true,
    async run({ positionals }) {
      if (!positionals.length) fail(`usage: scripts/stack ${verb} <part>...`);
      const parts = positionals.map(byName); // all names checked before anything is stopped
      for (const part of parts) {
        if (verb !== "start") await stopPart(part);
        if (verb !== "stop") await startPart(part);
      }
    },
  });

export const start = partCommand("start", "start parts that are not running");
export const stop = partCommand("stop", "stop parts");
export const restart = partCommand("restart", "restart parts after changing their code (e.g. restart base)");
