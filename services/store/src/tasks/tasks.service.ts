import { conflict, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { taskStatus, toPurchaseResponse } from "../purchases/purchases.mappers.js";
import type { Logger } from "pino";
import type { TaskEvent, TaskEventType } from "./task-events.js";
import type { TaskRow, TasksRepository } from "./tasks.repository.js";
import type { TaskResponse } from "./tasks.schemas.js";

export const TASK_NOT_FOUND = "Task not found";
export const TASK_NOT_READY = "Task is not ready";

export const toTaskResponse = (t: TaskRow): TaskResponse => ({
  id: t.id,
  purchase: toPurchaseResponse(t.purchase),
  store_id: t.storeId,
  user_id: t.userId,
  is_ready: t.isReady,
  status: taskStatus(t),
  date: t.createdAt.toISOString(),
  ready_at: t.readyAt?.toISOString() ?? null,
  delivered_at: t.deliveredAt?.toISOString() ?? null,
  train_number: t.trainNumber,
  additional_data:
    t.additionalData !== null && typeof t.additionalData === "object" && !Array.isArray(t.additionalData)
      ? t.additionalData
      : {},
});

/**
 * Fulfilment. Every purchase creates one task: pending (is_ready = false) until the store terminal marks it
 * ready (robot purchases usually start ready), then delivered once a robot hands the goods over on the train.
 */
/** Where task changes are announced (the Redis-backed TaskEventBus in the app). */
export interface TaskEventPublisher {
  publish(event: TaskEvent): Promise<void>;
}

export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly events?: { publisher: TaskEventPublisher; logger: Logger },
  ) {}

  /**
   * Announces a committed change to the live streams. Fire and forget: the change is already stored, so a Redis
   * hiccup must not fail the request (streams are hints; clients re-read the list on reconnect).
   */
  announce(
    type: TaskEventType,
    ref: { taskId: string } | { purchaseId: string } | { task: TaskRow },
  ): Promise<void> {
    const events = this.events;
    if (!events) return Promise.resolve();
    return (async () => {
      // A task its writer already holds in full (a new purchase's) is published as it is, without a read.
      const row =
        "task" in ref
          ? ref.task
          : "taskId" in ref
            ? await this.tasks.find(ref.taskId)
            : await this.tasks.findByPurchase(ref.purchaseId);
      if (row) await events.publisher.publish({ type, task: toTaskResponse(row) });
    })().catch((err: unknown) => {
      events.logger.warn({ err: (err as Error).message, type }, "task event not published");
    });
  }

  listForStore(storeId: string, includeReady: boolean, query: PageQuery): Promise<Page<TaskResponse>> {
    return paginate(
      query,
      () => this.tasks.countForStore(storeId, includeReady),
      (w) => this.tasks.listForStore(storeId, includeReady, w),
      toTaskResponse,
    );
  }

  /** Idempotent; another store's task is 404 exactly like a missing one. */
  async markReady(storeId: string, taskId: string): Promise<void> {
    const transition = await this.tasks.markReady(storeId, taskId);
    if (transition === "missing") throw notFound(TASK_NOT_FOUND);
    if (transition === "changed") void this.announce("ready", { taskId });
  }

  listDeliverable(
    trainNumber: number,
    storeId: string | undefined,
    query: PageQuery,
  ): Promise<Page<TaskResponse>> {
    return paginate(
      query,
      () => this.tasks.countDeliverable(trainNumber, storeId),
      (w) => this.tasks.listDeliverable(trainNumber, storeId, w),
      toTaskResponse,
    );
  }

  /** Idempotent for robots that retry; a task still pending cannot skip the store's preparation. */
  async markDelivered(taskId: string): Promise<TaskResponse> {
    const { transition, task } = await this.tasks.markDelivered(taskId);
    if (transition === "missing" || !task) throw notFound(TASK_NOT_FOUND);
    if (!task.isReady) throw conflict(TASK_NOT_READY);
    if (transition === "changed") void this.announce("delivered", { taskId });
    return toTaskResponse(task);
  }
}
