import type { Db } from "../db.js";

export const trainStoreRepository = {
  create: (db: Db, storeId: string, trainNumber: number, trainDate: Date) =>
    db.trainStore.create({ data: { storeId, trainNumber, trainDate } }),

  count: (db: Db, trainNumber: number, trainDate: Date) =>
    db.trainStore.count({ where: { trainNumber, trainDate } }),

  listStoreIds: async (
    db: Db,
    trainNumber: number,
    trainDate: Date,
    window: { skip: number; take: number },
  ) =>
    (
      await db.trainStore.findMany({
        where: { trainNumber, trainDate },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { storeId: true },
        ...window,
      })
    ).map((r) => r.storeId),

  async delete(db: Db, storeId: string, trainNumber: number, trainDate: Date): Promise<void> {
    await db.trainStore.deleteMany({ where: { storeId, trainNumber, trainDate } });
  },
};
