import { conflict, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { taskStatus, toPurchaseResponse } from "../purchases/purchases.mappers.js";
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
export class TasksService {
  constructor(private readonly tasks: TasksRepository) {}

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
    if ((await this.tasks.markReady(storeId, taskId)) === "missing") throw notFound(TASK_NOT_FOUND);
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
    return toTaskResponse(task);
  }
}
