/**
 * `scripts/stack seed` (or `pnpm --filter @rail/ops seed`): the demo railway on the running stack. Configuration
 * from the environment, which scripts/stack fills from .env.example/.env: RAIL_OPS_URL, RAIL_OPS_LOGIN,
 * RAIL_OPS_PASSWORD (the bootstrap engineer), SEED_DIR, DEMO_ENGINEER_PASSWORD, KEYCLOAK_URL, KEYCLOAK_REALM,
 * KEYCLOAK_ADMIN_USER, KEYCLOAK_ADMIN_PASSWORD.
 */
import { Api, formatDetail, ApiError } from "../api.js";
import { engineerLogin } from "../credentials.js";
import { facePhoto } from "./face-photo.js";
import { seedDemo } from "./seed.js";

const env = process.env;
const need = (key: string) => {
  const v = env[key];
  if (!v) {
    console.error(`[seed] ERROR: ${key} is not set`);
    process.exit(2);
  }
  return v;
};
const credentials = { login: need("RAIL_OPS_LOGIN"), password: need("RAIL_OPS_PASSWORD") };
let token: Promise<string> | undefined;
const api: Api = new Api(
  need("RAIL_OPS_URL").replace(/\/+$/, ""),
  () => (token ??= engineerLogin(api, credentials)),
  10,
);
const started = Date.now();
seedDemo({
  api,
  credentials,
  dir: need("SEED_DIR"),
  engineerPassword: need("DEMO_ENGINEER_PASSWORD"),
  keycloak: env.KEYCLOAK_URL
    ? {
        url: env.KEYCLOAK_URL.replace(/\/+$/, ""),
        realm: env.KEYCLOAK_REALM ?? "railway",
        adminUser: env.KEYCLOAK_ADMIN_USER ?? "admin",
        adminPassword: env.KEYCLOAK_ADMIN_PASSWORD ?? "admin",
        demoUsername: env.DEMO_PASSENGER_USERNAME ?? "demo",
      }
    : undefined,
  facePhoto,
  log: (m) => console.log(`[seed] ${m}`),
}).then(
  () => console.log(`[seed] done in ${((Date.now() - started) / 1000).toFixed(1)}s`),
  (err: unknown) => {
    console.error(
      `[seed] ERROR: ${err instanceof ApiError ? `${err.what}: ${formatDetail(err.detail)} (HTTP ${err.status})` : err}`,
    );
    process.exit(1);
  },
);
