// @ts-check
// The stack's configuration: .env.example defaults, overlaid by .env, overlaid by the real environment — read by
// the same parser as packages/common/src/stack-env.ts (packages/common/src/env-file.mjs).
import { loadEnvFiles } from "../../packages/common/src/env-file.mjs";
import { fail, ROOT } from "./util.mjs";

/**
 * @typedef {object} StackConfig
 * @property {Record<string, string>} env every variable of the env files, as the services receive it
 * @property {{ http: number, postgres: number, redis: number, chroma: number, keycloak: number,
 *   base: number, store: number, face: number, frontend: number }} ports
 * @property {string} publicUrl the URL browsers use (nginx), without a trailing slash
 * @property {string} keycloakPublicUrl
 * @property {string} realm
 * @property {{ user: string, password: string }} postgres
 * @property {{ user: string, password: string }} keycloakAdmin
 * @property {{ login: string, password: string }} engineer the bootstrap engineer base creates on first start
 */

/**
 * Derives the stack's settings from a merged env (pure; unit-tested).
 * @param {Record<string, string>} env
 * @returns {StackConfig}
 */
export function stackConfig(env) {
  /** @param {string} key @param {number} fallback */
  const num = (key, fallback) => {
    const v = env[key];
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) fail(`${key}=${v} is not a port number (check .env)`);
    return n;
  };
  const ports = {
    http: num("RAIL_HTTP_PORT", 8080),
    postgres: num("POSTGRES_PORT", 55432),
    redis: num("REDIS_PORT", 6390),
    chroma: num("CHROMA_PORT", 8005),
    keycloak: num("KEYCLOAK_PORT", 8180),
    base: num("BASE_PORT", 8001),
    store: num("STORE_PORT", 8002),
    face: num("FACE_PORT", 8003),
    frontend: num("FRONTEND_PORT", 8004),
  };
  const publicUrl = (env.RAIL_PUBLIC_URL ?? `http://localhost:${ports.http}`).replace(/\/$/, "");
  return {
    env,
    ports,
    publicUrl,
    keycloakPublicUrl: (env.KEYCLOAK_PUBLIC_URL ?? `${publicUrl}/keycloak`).replace(/\/$/, ""),
    realm: env.KEYCLOAK_REALM ?? "railway",
    postgres: { user: env.POSTGRES_USER ?? "rail", password: env.POSTGRES_PASSWORD ?? "rail" },
    keycloakAdmin: {
      user: env.KEYCLOAK_ADMIN_USER ?? "admin",
      password: env.KEYCLOAK_ADMIN_PASSWORD ?? "admin",
    },
    engineer: {
      login: env.BOOTSTRAP_ENGINEER_LOGIN ?? "admin",
      password: env.BOOTSTRAP_ENGINEER_PASSWORD ?? "admin-dev-password",
    },
  };
}

/** The configuration of this checkout (read once, at import). */
export const CONFIG = stackConfig(loadEnvFiles(ROOT));
export const ENV = CONFIG.env;
export const PORTS = CONFIG.ports;
