// @ts-check
import { seed } from "../seed.mjs";
import { fail } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "",
  summary:
    "add what is missing of the demo railway (idempotent; `up` runs it when over 12 h old; keys in .stack/seed/)",
  run() {
    if (!seed()) fail("seed failed (see the lines above); the stack itself is up");
  },
});
