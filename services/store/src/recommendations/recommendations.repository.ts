import type { Db } from "../db.js";
import type { StoreItemRow } from "../stores/stores.repository.js";

// Only lines whose item still exists in this store can be recommended.
type IdRow = { item_id: string };

export class RecommendationsRepository {
  constructor(private readonly db: Db) {}

  /**
   * The item ids of this user's `limit` most recent purchase lines in this store (latest purchase first, its
   * lines in request order). As in the reference, these are lines, not distinct items: buying one item in the
   * last two purchases yields it twice, and the caller's de-duplication then leaves one.
   */
  async latestForUser(storeId: string, userId: string, limit: number): Promise<string[]> {
    const rows = await this.db.$queryRaw<IdRow[]>`
      SELECT l.item_id::text AS item_id
      FROM purchase_items l
      JOIN purchases p ON p.id = l.purchase_id
      JOIN store_items i ON i.id = l.item_id AND i.store_id = p.store_id
      WHERE p.store_id = ${storeId}::uuid AND p.user_id = ${userId}::uuid
      ORDER BY p.created_at DESC, p.id DESC, l.position
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
