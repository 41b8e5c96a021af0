import type { Db } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";
import type { PurchaseRow } from "../purchases/purchases.repository.js";

export interface TaskRow {
  id: string;
  storeId: string;
  userId: string;
  isReady: boolean;
  additionalData: Prisma.JsonValue;
  trainNumber: number | null;
  createdAt: Date;
  readyAt: Date | null;
  deliveredAt: Date | null;
  purchase: PurchaseRow;
}

const WITH_PURCHASE = { purchase: { include: { lines: { orderBy: { position: "asc" as const } } } } };
const OLDEST_FIRST = [{ createdAt: "asc" as const }, { id: "asc" as const }];

export type TaskTransition = "changed" | "missing" | "unchanged";

export class TasksRepository {
  constructor(private readonly db: Db) {}

  private storeFilter(storeId: string, includeReady: boolean): Prisma.TaskWhereInput {
    return includeReady ? { storeId } : { storeId, isReady: false };
  }

  countForStore(storeId: string, includeReady: boolean): Promise<number> {
    return this.db.task.count({ where: this.storeFilter(storeId, includeReady) });
  }

  listForStore(
    storeId: string,
    includeReady: boolean,
    window: { skip: number; take: number },
  ): Promise<TaskRow[]> {
    return this.db.task.findMany({
      where: this.storeFilter(storeId, includeReady),
      ...window,
      orderBy: OLDEST_FIRST,
      include: WITH_PURCHASE,
    });
  }

  private deliverableFilter(trainNumber: number, storeId?: string): Prisma.TaskWhereInput {
    return { trainNumber, isReady: true, deliveredAt: null, ...(storeId ? { storeId } : {}) };
  }

  countDeliverable(trainNumber: number, storeId?: string): Promise<number> {
    return this.db.task.count({ where: this.deliverableFilter(trainNumber, storeId) });
  }

  listDeliverable(
    trainNumber: number,
    storeId: string | undefined,
    window: { skip: number; take: number },
  ): Promise<TaskRow[]> {
    return this.db.task.findMany({
      where: this.deliverableFilter(trainNumber, storeId),
      ...window,
      orderBy: OLDEST_FIRST,
      include: WITH_PURCHASE,
    });
  }

  find(id: string): Promise<TaskRow | null> {
    return this.db.task.findUnique({ where: { id }, include: WITH_PURCHASE });
  }

  findByPurchase(purchaseId: string): Promise<TaskRow | null> {
    return this.db.task.findUnique({ where: { purchaseId }, include: WITH_PURCHASE });
  }

  /** pending -> ready, only for the given store's task (one guarded UPDATE). */
  async markReady(storeId: string, id: string): Promise<TaskTransition> {
    const { count } = await this.db.task.updateMany({
      where: { id, storeId, isReady: false },
      data: { isReady: true, readyAt: new Date() },
    });
    if (count > 0) return "changed";
    return (await this.db.task.count({ where: { id, storeId } })) > 0 ? "unchanged" : "missing";
  }

  /** ready -> delivered (one guarded UPDATE; CHECK delivered_at IS NULL OR is_ready backs it). */
  async markDelivered(id: string): Promise<{ transition: TaskTransition; task: TaskRow | null }> {
    const { count } = await this.db.task.updateMany({
      where: { id, isReady: true, deliveredAt: null },
      data: { deliveredAt: new Date() },
    });
    const task = await this.find(id);
    return { transition: count > 0 ? "changed" : task ? "unchanged" : "missing", task };
  }
}
