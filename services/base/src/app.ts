import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { Registry } from "prom-client";
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
import { DestinationsRepository } from "./destinations/destinations.repository.js";
import { destinationRoutes } from "./destinations/destinations.routes.js";
import { DestinationsService } from "./destinations/destinations.service.js";
import { engineerRoutes } from "./engineers/engineers.routes.js";
import { keycloakLinkRoutes } from "./keycloak-links/keycloak-links.routes.js";
import { FaceGateway } from "./face/face.gateway.js";
import { passengerGuard } from "./keycloak/keycloak.guard.js";
import { KeycloakVerifier, type TokenVerifier } from "./keycloak/keycloak.verifier.js";
import { PassengerRepository } from "./passenger/passenger.repository.js";
import { passengerRoutes } from "./passenger/passenger.routes.js";
import { PassengerService } from "./passenger/passenger.service.js";
import { KeyVault } from "./ticket-signing/key-vault.js";
import { createTicketSigningMetrics } from "./ticket-signing/ticket-signing.metrics.js";
import { TicketSigningRepository } from "./ticket-signing/ticket-signing.repository.js";
import { ticketSigningRoutes } from "./ticket-signing/ticket-signing.routes.js";
import { TicketSigningService } from "./ticket-signing/ticket-signing.service.js";
import { TicketsRepository } from "./tickets/tickets.repository.js";
import { ticketRoutes } from "./tickets/tickets.routes.js";
import { TicketsService } from "./tickets/tickets.service.js";
import { createGuards } from "./shared/guards.js";
import { identifyUser } from "./users/users.service.js";
import { StoreGateway } from "./store/store.gateway.js";
import { TrainStoresRepository } from "./train-stores/train-stores.repository.js";
import { trainStoreRoutes } from "./train-stores/train-stores.routes.js";
import { TrainStoresService } from "./train-stores/train-stores.service.js";
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
  /** Passenger token verification; by default keycloak-connect against KEYCLOAK_* (tests may inject another). */
  keycloak?: TokenVerifier;
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
  const guards = createGuards(deps.sessions, deps.config.INTERNAL_SERVICE_TOKEN);
  const metricsRegistry = new Registry();
  const ticketSigning = new TicketSigningService(
    new TicketSigningRepository(deps.db),
    new KeyVault(deps.config.TICKET_SIGNING_SECRET),
    createTicketSigningMetrics(metricsRegistry),
  );
  const tickets = new TicketsService(
    new TicketsRepository(deps.db),
    { identify: (image, notFoundDetail) => identifyUser(deps, image, notFoundDetail) },
    undefined,
    ticketSigning,
  );
  const stores = new StoreGateway(deps.storeClient);
  const trainStores = new TrainStoresService(new TrainStoresRepository(deps.db), stores);
  const destinations = new DestinationsService(new DestinationsRepository(deps.db));
  const face = new FaceGateway(deps.faceClient);
  const passengers = new PassengerService({
    repository: new PassengerRepository(deps.db),
    tickets,
    face,
    store: stores,
    signedCodes: ticketSigning,
  });
  const passengerAuth = passengerGuard(
    deps.keycloak ?? new KeycloakVerifier(deps.config),
    deps.config.KEYCLOAK_PASSENGER_ROLE,
    (claims) => passengers.resolveUser(claims),
  );
  const api = new ApiRouter();
  for (const feature of [
    engineerRoutes(deps),
    authRoutes(deps),
    userRoutes(deps),
    ticketRoutes(tickets, guards),
    destinationRoutes(destinations, guards),
    trainStoreRoutes(trainStores, guards),
    keycloakLinkRoutes(deps),
    passengerRoutes(passengers, passengerAuth),
    ticketSigningRoutes(ticketSigning, guards),
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
    metricsRegistry,
    // Face images arrive base64-encoded inside JSON (up to ~10 MiB).
    jsonLimit: "12mb",
    before: [rejectNulCharacters],
    readiness: [postgresCheck(() => deps.db.$queryRaw`SELECT 1`), redisCheck(deps.redis)],
  });
}
