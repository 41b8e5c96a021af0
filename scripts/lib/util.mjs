// @ts-check
// Paths, logging and failure of the stack (node built-ins only: the stack runs before `pnpm install`).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const STACK = path.join(ROOT, ".stack");
export const IS_ROOT = process.getuid?.() === 0;

/** @param {string} msg */
export const log = (msg) => console.log(`[stack] ${msg}`);

/** An expected failure: printed as `[stack] ERROR: <message>` without a stack trace. */
export class StackError extends Error {}
/**
 * @param {string} msg
 * @returns {never}
 */
export const fail = (msg) => {
  throw new StackError(msg);
};
/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** @param {string} p */
export const mkdirp = (p) => fs.mkdirSync(p, { recursive: true });

/**
 * Content hash of a file or directory tree (names + bytes); "" contributes for a missing path.
 * @param {string} p
 */
export function hashTree(p) {
  const h = crypto.createHash("sha256");
  /** @param {string} q */
  const walk = (q) => {
    if (!fs.existsSync(q)) return;
    const st = fs.statSync(q);
    if (st.isDirectory()) for (const e of fs.readdirSync(q).sort()) walk(path.join(q, e));
    else h.update(q).update(fs.readFileSync(q));
  };
  walk(p);
  return h.digest("hex");
}
/** @param {string} text */
export const sha = (text) => crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Where a part keeps its log and pid file: .stack/<part>/. */
/** @param {string} part */
export const dirOf = (part) => path.join(STACK, part);
/** @param {string} part */
export const logOf = (part) => path.join(dirOf(part), `${part}.log`);
/** @param {string} part */
export const pidFileOf = (part) => path.join(dirOf(part), `${part}.pid`);
