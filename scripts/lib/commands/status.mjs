// @ts-check
import { ALL } from "../parts/index.mjs";
import { defineCommand } from "./command.mjs";

export default defineCommand({
  usage: "",
  summary: "show each part: up / unhealthy / down, pid, URL (exit 3 if any is down)",
  async run() {
    let allUp = true;
    for (const part of ALL) {
      const pid = part.pid();
      const healthy = pid ? await part.healthy() : false;
      if (!pid) allUp = false;
      const state = !pid ? "down" : healthy ? "up" : "unhealthy";
      console.log(
        `${part.name.padEnd(9)} ${state.padEnd(9)} ${(pid ? `pid ${pid}` : "").padEnd(11)} ${part.url()}`,
      );
    }
    return allUp ? 0 : 3;
  },
});
