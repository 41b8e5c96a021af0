// @ts-check
// Chroma: `chroma run` from the chromadb npm package (a root devDependency), data in .stack/chroma/data.
import fs from "node:fs";
import path from "node:path";
import { PORTS } from "../env.mjs";
import { alive, httpStatus, portOpen, readPid, startDetached, stopPid } from "../processes.mjs";
import { fail, logOf, pidFileOf, ROOT } from "../util.mjs";

/** @type {import("./part.mjs").Part} */
export const chroma = {
  name: "chroma",
  url: () => `http://127.0.0.1:${PORTS.chroma}`,
  pid: () => {
    const pid = readPid(pidFileOf("chroma"));
    return alive(pid) ? pid : null;
  },
  async start() {
    const bin = path.join(ROOT, "node_modules", ".bin", "chroma");
    if (!fs.existsSync(bin))
      fail(
        "chroma: node_modules/.bin/chroma missing — run `pnpm install` (chromadb is a root devDependency)",
      );
    if (await portOpen(PORTS.chroma)) fail(`chroma: port ${PORTS.chroma} is in use by another program`);
    return startDetached(
      bin,
      ["run", "--path", ".stack/chroma/data", "--host", "127.0.0.1", "--port", String(PORTS.chroma)],
      { logFile: logOf("chroma"), pidFile: pidFileOf("chroma") },
    );
  },
  healthy: async () => (await httpStatus(`http://127.0.0.1:${PORTS.chroma}/api/v2/heartbeat`)) === 200,
  stop: (pid) => stopPid(pid),
  logFile: () => logOf("chroma"),
  timeoutS: 60,
};
