import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  ApiRouter,
  auditAdminMutations,
  createServiceApp,
  postgresCheck,
  redisCheck,
  type SessionStore,
} from "@rail/common";
import type { Config } from "./config.js";
import type { Db } from "./db.js";
import { ItemsRepository } from "./items/items.repository.js";
import { itemsRoutes } from "./items/items.routes.js";
import { ItemsService } from "./items/items.service.js";
import { PurchasesRepository } from "./purchases/purchases.repository.js";
import { purchasesRoutes } from "./purchases/purchases.routes.js";
import { RecommendationsRepository } from "./recommendations/recommendations.repository.js";
import { recommendationsRoutes } from "./recommendations/recommendations.routes.js";
import { RecommendationsService } from "./recommendations/recommendations.service.js";
import { createGuards } from "./shared/guards.js";
import { StoresRepository } from "./stores/stores.repository.js";
import { storesRoutes } from "./stores/stores.routes.js";
import { BaseStoreBindings } from "./stores/base-bindings.client.js";
import { StoresService } from "./stores/stores.service.js";
import { TasksRepository } from "./tasks/tasks.repository.js";
import { tasksRoutes } from "./tasks/tasks.routes.js";
import { TasksService } from "./tasks/tasks.service.js";
import { AnnouncingPurchasesService } from "./tasks/task-announcements.js";
import { TaskEventBus } from "./tasks/task-events.js";
import { BaseUsersClient } from "./users/users.client.js";
import type { AuditOutbox } from "./audit/audit.outbox.js";
import { baseServiceClient } from "./shared/base-client.js";

export const API_PREFIX = "/store_api/v1";

/** Everything the routes need, created once in main.ts (or per test file in the test fixture). */
export interface Deps {
  config: Config;
  db: Db;
  redis: Redis;
  logger: Logger;
  sessions: SessionStore;
  /** Shared by the app's streams; made from `redis` when not given (tests pass one to close it). */
  taskEvents?: TaskEventBus;
  /** Admin actions go through it to the base service's audit log (createAuditOutbox: when AUDIT_TO_BASE is on). */
  auditOutbox?: AuditOutbox;
}

export function buildApp(deps: Deps) {
  const guards = createGuards(deps.sessions, deps.config.INTERNAL_SERVICE_TOKEN);
  const base = baseServiceClient({
    baseApiUrl: deps.config.BASE_API_URL,
    serviceToken: deps.config.INTERNAL_SERVICE_TOKEN,
  });
  const stores = new StoresService(
    new StoresRepository(deps.db),
    deps.config.UNBIND_IN_BASE ? new BaseStoreBindings(base) : undefined,
  );
  const items = new ItemsService(new ItemsRepository(deps.db), stores);
  const buyers = deps.config.VERIFY_BUYERS_WITH_BASE ? new BaseUsersClient(base) : undefined;
  // Task changes go out through Redis pub/sub to the live streams of every replica (tasks/task-events.ts).
  const taskEvents = deps.taskEvents ?? new TaskEventBus(deps.redis, deps.logger);
  const tasks = new TasksService(new TasksRepository(deps.db), {
    publisher: taskEvents,
    logger: deps.logger,
  });
  const purchases = new AnnouncingPurchasesService(
    tasks,
    new PurchasesRepository(deps.db),
    deps.config.IDEMPOTENCY_TTL_SECONDS,
    buyers,
  );
  const recommendations = new RecommendationsService(new RecommendationsRepository(deps.db));

  const api = new ApiRouter()
    .use("", storesRoutes(stores, guards))
    .use("", itemsRoutes(items, guards))
    .use("", purchasesRoutes(purchases, guards))
    .use(
      "",
      tasksRoutes(tasks, guards, {
        bus: taskEvents,
        heartbeatMs: deps.config.TASK_EVENTS_HEARTBEAT_SECONDS * 1000,
      }),
    )
    .use("", recommendationsRoutes(recommendations, guards));

  return createServiceApp({
    name: "store",
    prefix: API_PREFIX,
    description:
      "Stores, items, purchases that never oversell, fulfilment tasks (pending -> ready -> delivered).",
    logger: deps.logger,
    api,
    // Every admin mutation is bracketed by its audit report in the store's outbox (kit hook, src/audit/).
    bodyChecks: deps.auditOutbox
      ? [
          auditAdminMutations({
            journal: deps.auditOutbox,
            operations: api.operations,
            prefix: API_PREFIX,
            logger: deps.logger,
          }),
        ]
      : [],
    readiness: [postgresCheck(() => deps.db.$queryRaw`SELECT 1`), redisCheck(deps.redis)],
  });
}
