// @ts-check
// Redis: `redis-server --daemonize` with its data, pid file and log in .stack/redis.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { ENV, PORTS } from "../env.mjs";
import { alive, portOpen, readPid, run, stopPid } from "../processes.mjs";
import { dirOf, fail, logOf, mkdirp, pidFileOf } from "../util.mjs";

/** Redis's password: the one in REDIS_URL (services and stack cannot disagree), or none. */
export const redisPassword = () => {
  try {
    return decodeURIComponent(new URL(ENV.REDIS_URL ?? "").password);
  } catch {
    return "";
  }
};

/** @param {string[]} args */
export const redisCli = (...args) =>
  spawnSync("redis-cli", ["-h", "127.0.0.1", "-p", String(PORTS.redis), "--no-auth-warning", ...args], {
    encoding: "utf8",
    env: { ...process.env, REDISCLI_AUTH: redisPassword() || undefined },
  });

/** @type {import("./part.mjs").Part} */
export const redis = {
  name: "redis",
  url: () => `redis://127.0.0.1:${PORTS.redis}`,
  pid() {
    const pid = readPid(pidFileOf("redis"));
    if (alive(pid)) return pid;
    // Adopt a redis-server started by hand with our layout (--dir .stack/redis).
    const dir = redisCli("config", "get", "dir");
    if (dir.status === 0 && dir.stdout.split("\n")[1]?.trim() === dirOf("redis")) {
      const info = redisCli("info", "server").stdout ?? "";
      const adopted = Number(/process_id:(\d+)/.exec(info)?.[1]);
      if (alive(adopted)) {
        mkdirp(dirOf("redis"));
        fs.writeFileSync(pidFileOf("redis"), `${adopted}\n`);
        return adopted;
      }
    }
    return null;
  },
  async start() {
    mkdirp(dirOf("redis"));
    if (await portOpen(PORTS.redis))
      fail(`redis: port ${PORTS.redis} is in use by another program (see troubleshooting in README.md)`);
    run("redis-server", [
      "--port",
      String(PORTS.redis),
      "--bind",
      "127.0.0.1",
      "--dir",
      dirOf("redis"),
      "--daemonize",
      "yes",
      "--pidfile",
      pidFileOf("redis"),
      "--logfile",
      logOf("redis"),
      ...(redisPassword() ? ["--requirepass", redisPassword()] : []),
    ]);
  },
  // A Redis started before it had a password gets it now (connections already open stay authenticated).
  async whenRunning() {
    const password = redisPassword();
    if (!password) return;
    const current = redisCli("config", "get", "requirepass").stdout?.split("\n")[1]?.trim();
    if (current !== password) redisCli("config", "set", "requirepass", password);
  },
  healthy: async () => redisCli("ping").stdout?.trim() === "PONG",
  stop: async (pid) => stopPid(pid, { group: false }),
  logFile: () => logOf("redis"),
  timeoutS: 30,
};
