import { isForeignKeyViolation } from "@rail/common";
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

const itemsWhere = (storeId: string, name?: string) =>
  name ? { storeId, name: { contains: name, mode: "insensitive" as const } } : { storeId };

/** Every query is scoped by store id: a terminal never sees or touches another store's items. */
export class ItemsRepository {
  constructor(private readonly db: Db) {}

  /** `name`: only items whose name contains it, any case (the engineer console's search). */
  count(storeId: string, name?: string): Promise<number> {
    return this.db.storeItem.count({ where: itemsWhere(storeId, name) });
  }

  list(storeId: string, window: { skip: number; take: number }, name?: string): Promise<StoreItemRow[]> {
    return this.db.storeItem.findMany({
      where: itemsWhere(storeId, name),
      ...window,
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
  }

  find(storeId: string, id: string): Promise<StoreItemRow | null> {
    return this.db.storeItem.findFirst({ where: { id, storeId } });
  }

  /** Any store's item (engineers address items by id alone). */
  findById(id: string): Promise<StoreItemRow | null> {
    return this.db.storeItem.findUnique({ where: { id } });
  }

  /** Null when the store was deleted meanwhile (foreign key), so a race answers 404, not 500. */
  async create(storeId: string, fields: ItemFields): Promise<StoreItemRow | null> {
    try {
      return await this.db.storeItem.create({ data: { storeId, ...fields } });
    } catch (err) {
      if (isForeignKeyViolation(err)) return null;
      throw err;
    }
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
