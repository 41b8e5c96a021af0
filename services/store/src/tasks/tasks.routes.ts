import type { Request } from "express";
import {
  ApiRouter,
  EMPTY_RESPONSE,
  HttpError,
  emptyResponseSchema,
  pageSchema,
  type AuthGuard,
} from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { storeIdParamsSchema } from "../stores/stores.schemas.js";
import { streamTaskEvents, type TaskEvent, type TaskEventBus } from "./task-events.js";
import type { TasksService } from "./tasks.service.js";
import {
  readyTasksQuerySchema,
  robotTaskEventsQuerySchema,
  storeTasksQuerySchema,
  taskIdParamsSchema,
  taskResponseSchema,
} from "./tasks.schemas.js";

/** The live streams: the bus they read and how often they send a heartbeat. */
export interface TaskStreams {
  bus: TaskEventBus;
  heartbeatMs: number;
}

const EVENTS_DESCRIPTION = `A \`text/event-stream\` (server-sent events) that stays open: \`event: task.created\` |
\`task.ready\` | \`task.delivered\`, \`id:\` the task id, \`data:\` JSON \`{"type": "created"|"ready"|"delivered",
"task": <Task, as in the task lists>}\`; a \`: ping\` comment line every TASK_EVENTS_HEARTBEAT_SECONDS (15 s). Events
are published through Redis, so every store replica serves all of them. They are live hints, not a queue: read the
task list when the stream (re)connects. When the session ends (revoked, expired), the stream sends
\`event: session.ended\` and closes.`;

/** The session token the stream authenticated with is checked again at every heartbeat. */
const stillValid = (guard: AuthGuard<unknown>, req: Request) => () =>
  guard.authenticate(req).then(
    () => true,
    (err: unknown) => {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) return false;
      throw err;
    },
  );

export function tasksRoutes(tasks: TasksService, guards: Guards, streams?: TaskStreams): ApiRouter {
  const api = new ApiRouter();

  if (streams) {
    api.route({
      method: "get",
      path: "/store/tasks/events",
      summary: "Live task events of the terminal's store (server-sent events: created, ready, delivered)",
      description: EVENTS_DESCRIPTION,
      tags: ["store terminal"],
      auth: guards.store,
      handler: ({ auth, req, res }) =>
        streamTaskEvents(req, res, {
          bus: streams.bus,
          heartbeatMs: streams.heartbeatMs,
          accept: (e: TaskEvent) => e.task.store_id === auth.subject,
          stillAllowed: stillValid(guards.store, req),
        }),
    });

    api.route({
      method: "get",
      path: "/robot/tasks/events",
      summary:
        "Live 'ready for delivery' events of a train (server-sent events: ready, and delivered by any robot)",
      description: `${EVENTS_DESCRIPTION}\n\nRobots get the tasks of \`train_number\` (and \`store_id\`, if given) that become
ready for delivery — \`task.ready\`, or \`task.created\` for a purchase that starts ready (robot purchases) — and
\`task.delivered\` when a robot hands one over, so other robots can drop it.`,
      tags: ["robot"],
      auth: guards.robot,
      query: robotTaskEventsQuerySchema,
      handler: ({ query, req, res }) =>
        streamTaskEvents(req, res, {
          bus: streams.bus,
          heartbeatMs: streams.heartbeatMs,
          accept: (e: TaskEvent) =>
            e.task.train_number === query.train_number &&
            (!query.store_id || e.task.store_id === query.store_id) &&
            e.task.status !== "pending",
          stillAllowed: stillValid(guards.robot, req),
        }),
    });

    api.route({
      method: "get",
      path: "/admin/store/:store_id/tasks/events",
      summary: "Live task events of a store, for engineers (server-sent events: created, ready, delivered)",
      description: EVENTS_DESCRIPTION,
      tags: ["admin"],
      auth: guards.admin,
      params: storeIdParamsSchema,
      handler: ({ params, req, res }) =>
        streamTaskEvents(req, res, {
          bus: streams.bus,
          heartbeatMs: streams.heartbeatMs,
          accept: (e: TaskEvent) => e.task.store_id === params.store_id,
          stillAllowed: stillValid(guards.admin, req),
        }),
    });
  }

  api.route({
    method: "get",
    path: "/store/tasks",
    summary: "The terminal's pending tasks (all of them with also_ready_tasks=true), oldest first",
    tags: ["store terminal"],
    auth: guards.store,
    query: storeTasksQuerySchema,
    response: pageSchema(taskResponseSchema),
    handler: ({ auth, query }) => tasks.listForStore(auth.subject, query.also_ready_tasks, query),
  });

  // The reference's DebugConsole marks tasks done with `PUT /store/task/{id}` (reference 13.3.13), so that path
  // is served as an alias of the documented one instead of answering 404.
  for (const [path, summary] of [
    ["/store/task/:task_id/ready", "Mark a task of the terminal's store ready for delivery"],
    [
      "/store/task/:task_id",
      "Same as PUT /store/task/{task_id}/ready (path used by the reference's DebugConsole)",
    ],
  ] as const) {
    api.route({
      method: "put",
      path,
      summary,
      tags: ["store terminal"],
      auth: guards.store,
      params: taskIdParamsSchema,
      response: emptyResponseSchema,
      errors: { 404: "Task not found" },
      handler: async ({ auth, params }) => {
        await tasks.markReady(auth.subject, params.task_id);
        return EMPTY_RESPONSE;
      },
    });
  }

  // Engineers (e.g. `pnpm ops tasks`) see and complete a store's tasks without the terminal's key.
  api.route({
    method: "get",
    path: "/admin/store/:store_id/tasks",
    summary: "A store's pending tasks (all of them with also_ready_tasks=true), oldest first",
    tags: ["admin"],
    auth: guards.admin,
    params: storeIdParamsSchema,
    query: storeTasksQuerySchema,
    response: pageSchema(taskResponseSchema),
    handler: ({ params, query }) => tasks.listForStore(params.store_id, query.also_ready_tasks, query),
  });

  api.route({
    method: "put",
    path: "/admin/store/:store_id/task/:task_id/ready",
    summary: "Mark a task of a store ready for delivery",
    tags: ["admin"],
    auth: guards.admin,
    params: storeIdParamsSchema.extend(taskIdParamsSchema.shape),
    response: emptyResponseSchema,
    errors: { 404: "Task not found" },
    handler: async ({ params }) => {
      await tasks.markReady(params.store_id, params.task_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "get",
    path: "/robot/tasks/ready",
    summary: "Tasks ready for delivery on a train (not yet delivered), oldest first",
    tags: ["robot"],
    auth: guards.robot,
    query: readyTasksQuerySchema,
    response: pageSchema(taskResponseSchema),
    handler: ({ query }) => tasks.listDeliverable(query.train_number, query.store_id, query),
  });

  api.route({
    method: "put",
    path: "/robot/task/:task_id/delivered",
    summary: "A robot handed the goods over: ready -> delivered",
    tags: ["robot"],
    auth: guards.robot,
    params: taskIdParamsSchema,
    response: taskResponseSchema,
    errors: { 404: "Task not found", 409: "Task is not ready" },
    handler: ({ params }) => tasks.markDelivered(params.task_id),
  });

  return api;
}
