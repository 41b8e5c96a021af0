import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import {
  ApiRouter,
  ServiceClient,
  auditAdminMutations,
  createServiceApp,
  postgresCheck,
  redisCheck,
  type SessionStore,
} from "@rail/common";
import type { Config } from "./config.js";
import type { Db } from "./db.js";
import { AuthRepository } from "./auth/auth.repository.js";
import { authRoutes } from "./auth/auth.routes.js";
import { AuthService } from "./auth/auth.service.js";
import { ChallengeStore } from "./auth/challenges.js";
import { DestinationsRepository } from "./destinations/destinations.repository.js";
import { destinationRoutes } from "./destinations/destinations.routes.js";
import { DestinationsService } from "./destinations/destinations.service.js";
import { EngineersRepository } from "./engineers/engineers.repository.js";
import { engineerRoutes } from "./engineers/engineers.routes.js";
import { EngineersService } from "./engineers/engineers.service.js";
import { LoginAttempts } from "./engineers/login-attempts.js";
import { KeycloakLinksRepository } from "./keycloak-links/keycloak-links.repository.js";
import { keycloakLinkRoutes } from "./keycloak-links/keycloak-links.routes.js";
import { KeycloakLinksService } from "./keycloak-links/keycloak-links.service.js";
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
import { TICKET_CODE_LENGTH, TicketsService } from "./tickets/tickets.service.js";
import { HoldsRepository } from "./holds/holds.repository.js";
import { ImagesRepository } from "./images/images.repository.js";
import { imageRoutes } from "./images/images.routes.js";
import { ImagesService } from "./images/images.service.js";
import { HoldsService } from "./holds/holds.service.js";
import { RunsRepository } from "./runs/runs.repository.js";
import { runRoutes } from "./runs/runs.routes.js";
import { RunsService } from "./runs/runs.service.js";
import { StationsRepository } from "./stations/stations.repository.js";
import { stationRoutes } from "./stations/stations.routes.js";
import { StationsService } from "./stations/stations.service.js";
import { TimetableRepository } from "./timetable/timetable.repository.js";
import { robotTrainStoresRoutes, timetableRoutes } from "./timetable/timetable.routes.js";
import { TimetableService } from "./timetable/timetable.service.js";
import { TrainsRepository } from "./trains/trains.repository.js";
import { trainRoutes } from "./trains/trains.routes.js";
import { TrainsService } from "./trains/trains.service.js";
import { holdRoutes } from "./holds/holds.routes.js";
import { TicketView } from "./timetable/ticket-view.js";
import { randomPoolString } from "./shared/random.js";
import { createGuards } from "./shared/guards.js";
import { AuditRepository } from "./audit/audit.repository.js";
import { auditRoutes } from "./audit/audit.routes.js";
import { AuditService } from "./audit/audit.service.js";
import { StoreGateway } from "./store/store.gateway.js";
import { TrainStoresRepository } from "./train-stores/train-stores.repository.js";
import { trainStoreRoutes } from "./train-stores/train-stores.routes.js";
import { TrainStoresService } from "./train-stores/train-stores.service.js";
import { rejectNulCharacters } from "./shared/nul-guard.js";
import { UsersRepository } from "./users/users.repository.js";
import { userRoutes } from "./users/users.routes.js";
import { UsersService } from "./users/users.service.js";
import { userFaceRoutes } from "./user-faces/user-faces.routes.js";
import { UserFacesService } from "./user-faces/user-faces.service.js";
import { TripShopRepository } from "./trip-shop/trip-shop.repository.js";
import { tripShopRoutes } from "./trip-shop/trip-shop.routes.js";
import { TripShopService } from "./trip-shop/trip-shop.service.js";

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
  api.use("", feature);
}

export function buildApp(deps: Deps) {
  const { config } = deps;
  const guards = createGuards(deps.sessions, config.INTERNAL_SERVICE_TOKEN);
  const face = new FaceGateway(deps.faceClient);
  const stores = new StoreGateway(deps.storeClient);
  const engineers = new EngineersService(
    new EngineersRepository(deps.db),
    deps.sessions,
    new LoginAttempts(deps.redis, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_SECONDS),
    config.BCRYPT_COST,
  );
  const auth = new AuthService(
    new AuthRepository(deps.db),
    engineers,
    deps.sessions,
    new ChallengeStore(deps.redis, config.CHALLENGE_TTL_SECONDS, config.CHALLENGE_MAX_ATTEMPTS),
    stores,
  );
  const users = new UsersService(new UsersRepository(deps.db), face, new TicketsRepository(deps.db));
  const keycloakLinks = new KeycloakLinksService(new KeycloakLinksRepository(deps.db));
  const metricsRegistry = new Registry();
  const ticketSigning = new TicketSigningService(
    new TicketSigningRepository(deps.db),
    new KeyVault(deps.config.TICKET_SIGNING_SECRET),
    createTicketSigningMetrics(metricsRegistry),
    deps.logger,
  );
  // The railway: stations, trains, runs, the public timetable, seat holds (every ticket is sold through holds).
  const stations = new StationsService(new StationsRepository(deps.db));
  const trains = new TrainsService(new TrainsRepository(deps.db), stations);
  const runs = new RunsService(new RunsRepository(deps.db));
  const timetable = new TimetableService(new TimetableRepository(deps.db), stations, runs);
  const holds = new HoldsService(new HoldsRepository(deps.db), runs, {
    ttlSeconds: deps.config.HOLD_TTL_SECONDS,
    maxHoldsPerPassenger: deps.config.HOLD_MAX_PER_PASSENGER,
    newTicketCode: () => randomPoolString(TICKET_CODE_LENGTH),
  });
  const ticketView = new TicketView(runs, new TimetableRepository(deps.db));
  const tickets = new TicketsService(new TicketsRepository(deps.db), users, ticketSigning, holds);
  const trainStores = new TrainStoresService(new TrainStoresRepository(deps.db), stores, runs, auth);
  const destinations = new DestinationsService(new DestinationsRepository(deps.db));
  const passengers = new PassengerService({
    repository: new PassengerRepository(deps.db),
    tickets,
    seats: holds,
    trips: ticketView,
    face,
    store: stores,
    signedCodes: ticketSigning,
  });
  const passengerAuth = passengerGuard(
    deps.keycloak ?? new KeycloakVerifier(deps.config),
    deps.config.KEYCLOAK_PASSENGER_ROLE,
    (claims) => passengers.resolveUser(claims),
  );
  const tripShop = new TripShopService({ repository: new TripShopRepository(deps.db), store: stores });
  const audit = new AuditService(new AuditRepository(deps.db));
  const images = new ImagesService(new ImagesRepository(deps.db), API_PREFIX);
  const userFaces = new UserFacesService(users, face);
  const api = new ApiRouter();
  for (const feature of [
    engineerRoutes(engineers, guards),
    authRoutes(auth, guards, { challengeTtlSeconds: config.CHALLENGE_TTL_SECONDS }),
    userRoutes(users, guards),
    ticketRoutes(tickets, guards),
    destinationRoutes(destinations, guards),
    trainStoreRoutes(trainStores, guards),
    keycloakLinkRoutes(keycloakLinks, guards),
    passengerRoutes(passengers, passengerAuth),
    ticketSigningRoutes(ticketSigning, guards),
    stationRoutes(stations, guards),
    trainRoutes(trains, guards),
    runRoutes(runs, guards),
    timetableRoutes(timetable),
    holdRoutes(holds, ticketView, passengerAuth),
    robotTrainStoresRoutes(timetable, guards),
    tripShopRoutes(tripShop, passengerAuth),
    auditRoutes(audit, guards, config.INTERNAL_SERVICE_TOKEN),
    imageRoutes(images, guards),
    userFaceRoutes(userFaces, guards),
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
    // Every admin mutation is bracketed by its audit entry (kit hook, journal in src/audit/audit.service.ts).
    bodyChecks: [
      auditAdminMutations({
        journal: audit,
        operations: api.operations,
        prefix: API_PREFIX,
        logger: deps.logger,
      }),
    ],
    readiness: [postgresCheck(() => deps.db.$queryRaw`SELECT 1`), redisCheck(deps.redis)],
  });
}
