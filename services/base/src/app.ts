import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  ApiRouter,
  ServiceClient,
  createServiceApp,
  postgresCheck,
  redisCheck,
  type SessionStore,
} from "@rail/common";
import type { Config } from "./config.js";
import type { Db } from "./db.js";
import { authRoutes } from "./auth/auth.routes.js";
import { destinationRoutes } from "./destinations/destinations.routes.js";
import { engineerRoutes } from "./engineers/engineers.routes.js";
import { keycloakLinkRoutes } from "./keycloak-links/keycloak-links.routes.js";
import { passengerRoutes } from "./passenger/passenger.routes.js";
import { ticketRoutes } from "./tickets/tickets.routes.js";
import { trainStoreRoutes } from "./train-stores/train-stores.routes.js";
import { rejectNulCharacters } from "./shared/nul-guard.js";
import { userRoutes } from "./users/users.routes.js";

export const API_PREFIX = "/base_api/v1";

/** Everything the routes need, created once in main.ts (or per test file in the test fixture). */
export interface Deps {
  config: Config;
  db: Db;
  redis: Redis;
  logger: Logger;
  sessions: SessionStore;
  /** Face service (FACE_API_URL), authenticated with INTERNAL_SERVICE_TOKEN. */
  faceClient: ServiceClient;
  /** Store service (STORE_API_URL), authenticated with INTERNAL_SERVICE_TOKEN. */
  storeClient: ServiceClient;
}

export function createServiceClients(config: Config): Pick<Deps, "faceClient" | "storeClient"> {
  const common = { token: config.INTERNAL_SERVICE_TOKEN, timeoutMs: config.SERVICE_TIMEOUT_MS };
  return {
    faceClient: new ServiceClient({ name: "face", baseUrl: config.FACE_API_URL, ...common }),
    storeClient: new ServiceClient({ name: "store", baseUrl: config.STORE_API_URL, ...common }),
  };
}

/** Features declare full paths (`/admin/...`, `/robot/...`), so their routers merge at the API root. */
function mount(api: ApiRouter, feature: ApiRouter) {
  api.router.use(feature.router);
  api.operations.push(...feature.operations);
}

export function buildApp(deps: Deps) {
  const api = new ApiRouter();
  for (const feature of [
    engineerRoutes(deps),
    authRoutes(deps),
    userRoutes(deps),
    ticketRoutes(deps),
    destinationRoutes(deps),
    trainStoreRoutes(deps),
    keycloakLinkRoutes(deps),
    passengerRoutes(deps),
  ]) {
    mount(api, feature);
  }
  return createServiceApp({
    name: "base",
    prefix: API_PREFIX,
    description:
      "Passengers, tickets, engineers, robot and store-terminal auth, destination info, train stores.",
    logger: deps.logger,
    api,
    // Face images arrive base64-encoded inside JSON (up to ~10 MiB).
    jsonLimit: "12mb",
    before: [rejectNulCharacters],
    readiness: [postgresCheck(() => deps.db.$queryRaw`SELECT 1`), redisCheck(deps.redis)],
  });
}
