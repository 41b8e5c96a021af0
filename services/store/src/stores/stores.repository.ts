import type { Db } from "../db.js";
import type { StoreType } from "../generated/prisma/client.js";
import { isUniqueViolation } from "@rail/common";

export interface StoreRow {
  id: string;
  name: string;
  description: string;
  logoUrl: string;
  storeType: StoreType;
}

export interface StoreItemRow {
  id: string;
  storeId: string;
  name: string;
  description: string;
  logoUrl: string;
  balance: number;
  pricePenny: number;
  category: string;
}

const ITEM_ORDER = [{ name: "asc" as const }, { id: "asc" as const }];

export class StoresRepository {
  constructor(private readonly db: Db) {}

  /** "duplicate_name" when the unique index refuses the name (so two concurrent creates cannot both win). */
  async create(data: {
    name: string;
    description: string;
    logoUrl: string;
    storeType: StoreType;
  }): Promise<StoreRow | "duplicate_name"> {
    try {
      return await this.db.store.create({ data });
    } catch (err) {
      if (isUniqueViolation(err)) return "duplicate_name";
      throw err;
    }
  }

  findById(id: string): Promise<StoreRow | null> {
    return this.db.store.findUnique({ where: { id } });
  }

  findWithItems(id: string): Promise<(StoreRow & { items: StoreItemRow[] }) | null> {
    return this.db.store.findUnique({ where: { id }, include: { items: { orderBy: ITEM_ORDER } } });
  }

  findByIds(ids: string[]): Promise<StoreRow[]> {
    return this.db.store.findMany({ where: { id: { in: ids } }, orderBy: [{ name: "asc" }, { id: "asc" }] });
  }

  count(): Promise<number> {
    return this.db.store.count();
  }

  list(window: { skip: number; take: number }): Promise<StoreRow[]> {
    return this.db.store.findMany({ ...window, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  /** Deletes the store; its items, purchases and tasks go with it (ON DELETE CASCADE). False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.store.deleteMany({ where: { id } });
    return count > 0;
  }
}
