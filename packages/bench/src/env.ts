import { loadStackEnv, REPO_ROOT } from "@rail/common/testing";

export { REPO_ROOT };

/** The stack's environment (`.env.example`, `.env`, then the real environment), as the stack itself reads it. */
export const ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
export const ENTRY = `http://127.0.0.1:${ENV.RAIL_HTTP_PORT ?? "8080"}`;
export const BASE = `${ENTRY}/base_api/v1`;
export const STORE = `${ENTRY}/store_api/v1`;
export const FACE = `${ENTRY}/face_api/v1`;

export const need = (name: string): string => {
  const value = ENV[name];
  if (!value) throw new Error(`${name} is not set (.env.example / .env / environment)`);
  return value;
};
