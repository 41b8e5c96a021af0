// @ts-check
// Running commands and managing the background processes of the stack.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fail, log, mkdirp, ROOT, sleep } from "./util.mjs";

/**
 * @typedef {import("node:child_process").SpawnSyncOptions & { capture?: boolean, allowFail?: boolean }} RunOptions
 */

/**
 * Runs a command synchronously (output inherited, or captured with `capture`); fails unless `allowFail`.
 * @param {string} cmd
 * @param {string[]} args
 * @param {RunOptions} [opts]
 * @returns {{ status: number | null, stdout: string, stderr: string, error?: Error }}
 */
export function run(cmd, args, opts = {}) {
  const { capture, allowFail, ...spawnOpts } = opts;
  const r = spawnSync(cmd, args, {
    cwd: ROOT,
    stdio: capture ? "pipe" : "inherit",
    encoding: "utf8",
    ...spawnOpts,
  });
  const result = {
    status: r.status,
    stdout: String(r.stdout ?? ""),
    stderr: String(r.stderr ?? ""),
    ...(r.error ? { error: r.error } : {}),
  };
  if (r.error) {
    if (allowFail) return result;
    fail(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  }
  if (r.status !== 0 && !allowFail) {
    const out = capture ? `\n${result.stdout + result.stderr}`.trimEnd() : "";
    fail(`\`${cmd} ${args.join(" ")}\` exited with ${r.status}${out}`);
  }
  return result;
}

/**
 * Runs `cmd args` asynchronously, resolving with { status, output } (stdout + stderr interleaved).
 * @param {string} cmd
 * @param {string[]} args
 * @param {import("node:child_process").SpawnOptions} [opts]
 * @returns {Promise<{ status: number, output: string }>}
 */
export function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ status: 1, output: output + e.message }));
    child.on("close", (status) => resolve({ status: status ?? 1, output }));
  });
}

/** @param {string} cmd */
export const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

/**
 * Whether pid is a live process (a zombie or a reused pid of another program is not ours).
 * @param {number | null | undefined} pid
 */
export const alive = (pid) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
};

/**
 * Whether any process of the group pgid is alive.
 * @param {number} pgid
 */
export function groupAlive(pgid) {
  if (!pgid) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The pid in the first line of a pid file, or null (missing file, garbage).
 * @param {string} file
 */
export const readPid = (file) => {
  try {
    return parsePid(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
};
/** @param {string} text */
export const parsePid = (text) => {
  const pid = Number((text.split("\n")[0] ?? "").trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
};

/**
 * @param {number} port
 * @param {string} [host]
 * @returns {Promise<boolean>}
 */
export const portOpen = (port, host = "127.0.0.1") =>
  new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.setTimeout(1000);
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("timeout", () => (s.destroy(), resolve(false)));
    s.once("error", () => resolve(false));
  });

/**
 * HTTP status of a GET (redirects not followed), 0 when unreachable.
 * @param {string} url
 * @param {number} [timeoutMs]
 */
export async function httpStatus(url, timeoutMs = 3000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * @param {string} file
 * @param {number} [lines]
 */
export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/**
 * Starts a detached process in its own process group, output appended to logFile; returns its pid.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: Record<string, string>, logFile: string, pidFile: string | null }} opts
 * @returns {number}
 */
export function startDetached(cmd, args, { cwd = ROOT, env = {}, logFile, pidFile }) {
  mkdirp(path.dirname(logFile));
  const fd = fs.openSync(logFile, "a");
  fs.writeSync(fd, `\n===== ${new Date().toISOString()} ${cmd} ${args.join(" ")}\n`);
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  child.unref();
  if (!child.pid) fail(`could not start ${cmd}`);
  if (pidFile) fs.writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/**
 * Stops a process group started by startDetached (or a single pid), waiting up to timeoutMs, then SIGKILL.
 * @param {number} pid
 * @param {{ group?: boolean, timeoutMs?: number }} [opts]
 */
export async function stopPid(pid, { group = true, timeoutMs = 20000 } = {}) {
  /** @param {NodeJS.Signals} sig */
  const signal = (sig) => {
    try {
      if (group) process.kill(-pid, sig);
      else process.kill(pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signal("SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await sleep(200);
  if (alive(pid)) signal("SIGKILL");
  // Wait a little for the group's stragglers (e.g. tsx's child node).
  for (let i = 0; i < 20 && group && groupAlive(pid); i++) await sleep(100);
}

/**
 * Polls check() until true, printing progress every 5 s; fails naming the part with the tail of its log when the
 * process exits or the timeout passes. Resolves with the seconds waited.
 * @param {string} part
 * @param {() => Promise<boolean>} check
 * @param {{ timeoutS: number, logFile: string, pid?: number | null, pollMs?: number }} opts
 * @returns {Promise<number>}
 */
export async function waitFor(part, check, { timeoutS, logFile, pid, pollMs = 500 }) {
  const start = Date.now();
  let lastReport = 0;
  for (;;) {
    if (await check()) return (Date.now() - start) / 1000;
    const elapsed = Math.round((Date.now() - start) / 1000);
    const logTail = () => `--- last lines of ${path.relative(ROOT, logFile)} ---\n${tail(logFile)}`;
    if (pid && !alive(pid) && !groupAlive(pid)) fail(`${part} exited during startup.\n${logTail()}`);
    if ((Date.now() - start) / 1000 >= timeoutS)
      fail(`${part} not healthy after ${timeoutS}s.\n${logTail()}`);
    if (elapsed - lastReport >= 5) {
      lastReport = elapsed;
      log(`${part}: waiting (${elapsed}s)…`);
    }
    await sleep(pollMs);
  }
}
