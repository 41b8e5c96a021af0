import { conflict, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { toStoreResponse } from "./stores.mappers.js";
import type { StoreBindings } from "./base-bindings.client.js";
import type { StoresRepository } from "./stores.repository.js";
import type { StoreCreation, StoreResponse } from "./stores.schemas.js";

export const STORE_NOT_FOUND = "Store not found";

export class StoresService {
  constructor(
    private readonly stores: StoresRepository,
    /** Base's bindings and terminal key (UNBIND_IN_BASE); without it they stay in base after a delete. */
    private readonly bindings?: StoreBindings,
  ) {}

  async create(input: StoreCreation): Promise<StoreResponse> {
    const store = await this.stores.create({
      name: input.name,
      description: input.description,
      logoUrl: input.logo_url,
      storeType: input.store_type,
    });
    if (store === "duplicate_name") throw conflict("Store with this name already exists");
    return toStoreResponse(store);
  }

  list(query: PageQuery): Promise<Page<StoreResponse>> {
    return paginate(
      query,
      () => this.stores.count(),
      (w) => this.stores.list(w),
      (s) => toStoreResponse(s),
    );
  }

  async getWithItems(id: string): Promise<StoreResponse> {
    const store = await this.stores.findWithItems(id);
    if (!store) throw notFound(STORE_NOT_FOUND);
    return toStoreResponse(store, store.items);
  }

  /** Known stores among `ids` (unknown ids are skipped), without their items. */
  async listByIds(ids: string[]): Promise<StoreResponse[]> {
    if (ids.length === 0) return [];
    const stores = await this.stores.findByIds([...new Set(ids)]);
    return stores.map((s) => toStoreResponse(s));
  }

  /**
   * Base forgets the store first (its train-run bindings, so robots are never sent to a store that no longer
   * exists, and its terminal's key and sessions); if base cannot (503) the store stays. An unknown store is 404
   * without asking base.
   */
  async delete(id: string): Promise<void> {
    if (this.bindings) {
      await this.requireExists(id);
      await this.bindings.forget(id);
    }
    if (!(await this.stores.delete(id))) throw notFound(STORE_NOT_FOUND);
  }

  async requireExists(id: string): Promise<void> {
    if (!(await this.stores.findById(id))) throw notFound(STORE_NOT_FOUND);
  }
}
