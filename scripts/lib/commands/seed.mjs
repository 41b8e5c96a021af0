// @ts-check
import { seed } from "../seed.mjs";
import { fail } from "../util.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "",
  summary: "add the demo railway to the running stack (idempotent; `up` runs it once; keys in .stack/seed/)",
  run() {
    if (!seed()) fail("seed failed (see the lines above); the stack itself is up");
  },
});
