// @ts-check
// Replicas of the API services (`scripts/stack up --replicas base=2,store=2`): extra instances on their own ports
// behind nginx, remembered in .stack/replicas.json so status, logs, restart and down know them.
import fs from "node:fs";
import path from "node:path";
import { fail, STACK } from "./util.mjs";

export const REPLICABLE = ["base", "store", "face"];
export const MAX_REPLICAS = 4;
/** Replica i (2, 3, ...) of a service listens on the service's port + 100 × (i − 1), e.g. base-2 on 8101. */
export const REPLICA_PORT_STEP = 100;
const FILE = path.join(STACK, "replicas.json");

/**
 * `base=2,store=2` → { base: 2, store: 2 } (pure; fails naming what is wrong).
 * @param {string} text
 * @returns {Record<string, number>}
 */
export function parseReplicas(text) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const item of text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(item);
    if (!m) fail(`--replicas: "${item}" is not <service>=<count> (e.g. base=2,store=2)`);
    const name = /** @type {string} */ (m[1]);
    const count = /** @type {string} */ (m[2]);
    if (!REPLICABLE.includes(name))
      fail(`--replicas: ${name} cannot be replicated (one of: ${REPLICABLE.join(", ")})`);
    const n = Number(count);
    if (n < 1 || n > MAX_REPLICAS) fail(`--replicas: ${name}=${n} must be between 1 and ${MAX_REPLICAS}`);
    out[name] = n;
  }
  return out;
}

/** @returns {Record<string, number>} */
export function readReplicas() {
  try {
    return JSON.parse(fs.readFileSync(FILE, "utf8"));
  } catch {
    return {};
  }
}

/** @param {Record<string, number>} replicas */
export function writeReplicas(replicas) {
  fs.mkdirSync(STACK, { recursive: true });
  fs.writeFileSync(FILE, `${JSON.stringify(replicas)}\n`);
}

/**
 * The extra instances (index ≥ 2) with their part names and ports (pure).
 * @param {Record<string, number>} replicas
 * @param {Record<string, number>} ports
 * @returns {{ service: string, part: string, port: number }[]}
 */
export function replicaInstances(replicas, ports) {
  const out = [];
  for (const service of REPLICABLE) {
    for (let i = 2; i <= (replicas[service] ?? 1); i++)
      out.push({
        service,
        part: `${service}-${i}`,
        port: /** @type {number} */ (ports[service]) + REPLICA_PORT_STEP * (i - 1),
      });
  }
  return out;
}
