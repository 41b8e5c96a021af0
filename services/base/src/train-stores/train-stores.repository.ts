import { isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

/** A train run as bindings name it: the train number and the run's start instant. */
export interface TrainRun {
  trainNumber: number;
  trainDate: Date;
}

/** Store-to-train-run bindings; the only code of this feature that touches Prisma. */
export class TrainStoresRepository {
  constructor(private readonly db: Db) {}

  /** "duplicate" when the binding exists already (unique index, so concurrent binds cannot both win). */
  async create(storeId: string, run: TrainRun & { runId: string }): Promise<"created" | "duplicate"> {
    try {
      await this.db.trainStore.create({ data: { storeId, ...run } });
      return "created";
    } catch (err) {
      if (isUniqueViolation(err)) return "duplicate";
      throw err;
    }
  }

  count(run: TrainRun): Promise<number> {
    return this.db.trainStore.count({ where: { ...run } });
  }

  /** Store ids bound to the run, oldest binding first. */
  async listStoreIds(run: TrainRun, window: { skip: number; take: number }): Promise<string[]> {
    const rows = await this.db.trainStore.findMany({
      where: { ...run },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: { storeId: true },
      ...window,
    });
    return rows.map((r) => r.storeId);
  }

  /** Every binding of a store (it is being deleted); how many there were. */
  async deleteStore(storeId: string): Promise<number> {
    const { count } = await this.db.trainStore.deleteMany({ where: { storeId } });
    return count;
  }

  /** Idempotent. */
  async delete(storeId: string, run: TrainRun): Promise<void> {
    await this.db.trainStore.deleteMany({ where: { storeId, ...run } });
  }
}
