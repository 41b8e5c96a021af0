// @ts-check
import { down } from "../lifecycle.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "",
  summary: "stop everything the stack started (data in .stack/ is kept)",
  run: () => down(),
});
