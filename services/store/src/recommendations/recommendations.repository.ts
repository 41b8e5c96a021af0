import type { Db } from "../db.js";
import type { StoreItemRow } from "../stores/stores.repository.js";

// Only lines whose item still exists in this store can be recommended.
type IdRow = { item_id: string };

export class RecommendationsRepository {
  constructor(private readonly db: Db) {}

  /** Items this user bought most recently in this store (latest purchase first). */
  async latestForUser(storeId: string, userId: string, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<IdRow[]>`
      SELECT l.item_id::text AS item_id
      FROM purchase_items l
      JOIN purchases p ON p.id = l.purchase_id
      JOIN store_items i ON i.id = l.item_id AND i.store_id = p.store_id
      WHERE p.store_id = ${storeId}::uuid AND p.user_id = ${userId}::uuid
      GROUP BY l.item_id
      ORDER BY max(p.created_at) DESC, l.item_id
      LIMIT ${limit}`;
    return rows.map((r) => r.item_id);
  }

  /** Items this user bought most in this store (by units). */
  async topForUser(storeId: string, userId: string, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<IdRow[]>`
      SELECT l.item_id::text AS item_id
      FROM purchase_items l
      JOIN purchases p ON p.id = l.purchase_id
      JOIN store_items i ON i.id = l.item_id AND i.store_id = p.store_id
      WHERE p.store_id = ${storeId}::uuid AND p.user_id = ${userId}::uuid
      GROUP BY l.item_id
      ORDER BY sum(l.count) DESC, l.item_id
      LIMIT ${limit}`;
    return rows.map((r) => r.item_id);
  }

  /** Items everybody bought most in this store (by units). */
  async topForStore(storeId: string, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<IdRow[]>`
      SELECT l.item_id::text AS item_id
      FROM purchase_items l
      JOIN purchases p ON p.id = l.purchase_id
      JOIN store_items i ON i.id = l.item_id AND i.store_id = p.store_id
      WHERE p.store_id = ${storeId}::uuid
      GROUP BY l.item_id
      ORDER BY sum(l.count) DESC, l.item_id
      LIMIT ${limit}`;
    return rows.map((r) => r.item_id);
  }

  items(storeId: string, ids: string[]): Promise<StoreItemRow[]> {
    return this.db.storeItem.findMany({ where: { storeId, id: { in: ids } } });
  }
}
