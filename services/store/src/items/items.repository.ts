import type { Db } from "../db.js";
import type { StoreItemRow } from "../stores/stores.repository.js";

export interface ItemFields {
  name: string;
  description: string;
  logoUrl: string;
  balance: number;
  pricePenny: number;
  category: string;
}

/** Every query is scoped by store id: a terminal never sees or touches another store's items. */
export class ItemsRepository {
  constructor(private readonly db: Db) {}

  count(storeId: string): Promise<number> {
    return this.db.storeItem.count({ where: { storeId } });
  }

  list(storeId: string, window: { skip: number; take: number }): Promise<StoreItemRow[]> {
    return this.db.storeItem.findMany({
      where: { storeId },
      ...window,
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
  }

  find(storeId: string, id: string): Promise<StoreItemRow | null> {
    return this.db.storeItem.findFirst({ where: { id, storeId } });
  }

  create(storeId: string, fields: ItemFields): Promise<StoreItemRow> {
    return this.db.storeItem.create({ data: { storeId, ...fields } });
  }

  /** Inserts all rows in one statement: either every row is stored or none is. Rows come back in input order. */
  createMany(storeId: string, rows: ItemFields[]): Promise<StoreItemRow[]> {
    return this.db.storeItem.createManyAndReturn({ data: rows.map((fields) => ({ storeId, ...fields })) });
  }

  /** Overwrites the item in one guarded statement; null when it is not this store's item. */
  async update(storeId: string, id: string, fields: ItemFields): Promise<StoreItemRow | null> {
    const { count } = await this.db.storeItem.updateMany({ where: { id, storeId }, data: fields });
    return count === 0 ? null : this.find(storeId, id);
  }

  /**
   * Adds `delta` to the stock in one guarded statement, so concurrent sales and deliveries never lose an
   * update and the balance stays within 0..maxBalance. Null when the item is not this store's or the guard
   * refused the change.
   */
  async adjustBalance(
    storeId: string,
    id: string,
    delta: number,
    maxBalance: number,
  ): Promise<StoreItemRow | null> {
    const guard = delta < 0 ? { gte: -delta } : { lte: maxBalance - delta };
    const { count } = await this.db.storeItem.updateMany({
      where: { id, storeId, balance: guard },
      data: { balance: { increment: delta } },
    });
    return count === 0 ? null : this.find(storeId, id);
  }

  /** Purchase history keeps its own copy of each sold line, so deleting an item rewrites nothing. */
  async delete(storeId: string, id: string): Promise<boolean> {
    const { count } = await this.db.storeItem.deleteMany({ where: { id, storeId } });
    return count > 0;
  }
}
