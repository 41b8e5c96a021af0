// @ts-check
// Every part of the stack, in start order.
import { fail } from "../util.mjs";
import { chroma } from "./chroma.mjs";
import { keycloak } from "./keycloak.mjs";
import { nginx } from "./nginx.mjs";
import { postgres } from "./postgres.mjs";
import { redis } from "./redis.mjs";
import { readReplicas } from "../replicas.mjs";
import { replicaParts, SERVICES } from "./services.mjs";

export { chroma, keycloak, nginx, postgres, redis, SERVICES };
export const INFRA = [postgres, redis, chroma, keycloak];
/** Extra replicas started by `up --replicas` (remembered in .stack/replicas.json). */
export const REPLICAS = replicaParts(readReplicas());
/** @type {import("./part.mjs").Part[]} */
export const ALL = [...INFRA, ...SERVICES, ...REPLICAS, nginx];
export const PART_NAMES = ALL.map((p) => p.name);

/** @param {string} name */
export const byName = (name) =>
  ALL.find((p) => p.name === name) ?? fail(`unknown part "${name}" (one of: ${PART_NAMES.join(", ")})`);
