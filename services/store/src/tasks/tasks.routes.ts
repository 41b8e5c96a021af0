import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { storeIdParamsSchema } from "../stores/stores.schemas.js";
import type { TasksService } from "./tasks.service.js";
import {
  readyTasksQuerySchema,
  storeTasksQuerySchema,
  taskIdParamsSchema,
  taskResponseSchema,
} from "./tasks.schemas.js";

export function tasksRoutes(tasks: TasksService, guards: Guards): ApiRouter {
  const api = new ApiRouter();

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
