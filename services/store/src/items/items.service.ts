import { badRequest, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { STORE_NOT_FOUND } from "../stores/stores.service.js";
import { NOT_ENOUGH_ITEMS } from "../purchases/purchases.service.js";
import { toStoreItemResponse } from "../stores/stores.mappers.js";
import type { StoreItemRow } from "../stores/stores.repository.js";
import type { StoreItemResponse } from "../stores/stores.schemas.js";
import type { StoresService } from "../stores/stores.service.js";
import type { ItemFields, ItemsRepository } from "./items.repository.js";
import {
  MAX_BALANCE,
  type AdminItemResponse,
  type StoreItemCreation,
  type StoreItemUpdate,
} from "./items.schemas.js";

export const ITEM_NOT_FOUND = "Item not found";
export const STOCK_TOO_LARGE = "Stock would exceed the maximum balance";

const toFields = (input: StoreItemCreation): ItemFields => ({
  name: input.name,
  description: input.description,
  logoUrl: input.logo_url,
  balance: input.balance,
  pricePenny: input.price_penny,
  category: input.category,
});

const toAdminItem = (row: StoreItemRow): AdminItemResponse => ({
  ...toStoreItemResponse(row),
  store_id: row.storeId,
});

/** A store terminal's catalogue. Another store's item answers 404 exactly like a missing one. */
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly stores: StoresService,
  ) {}

  async list(storeId: string, query: PageQuery): Promise<Page<StoreItemResponse>> {
    await this.stores.requireExists(storeId);
    return paginate(
      query,
      () => this.items.count(storeId),
      (w) => this.items.list(storeId, w),
      toStoreItemResponse,
    );
  }

  async get(storeId: string, itemId: string): Promise<StoreItemResponse> {
    await this.stores.requireExists(storeId);
    const item = await this.items.find(storeId, itemId);
    if (!item) throw notFound(ITEM_NOT_FOUND);
    return toStoreItemResponse(item);
  }

  async create(storeId: string, input: StoreItemCreation): Promise<StoreItemResponse> {
    await this.stores.requireExists(storeId);
    const item = await this.items.create(storeId, toFields(input));
    if (!item) throw notFound(STORE_NOT_FOUND);
    return toStoreItemResponse(item);
  }

  // --- Engineers (ADMIN): any store's items, addressed by id alone; same rules and details as the terminal. ---

  async adminList(storeId: string, query: PageQuery & { q?: string }): Promise<Page<AdminItemResponse>> {
    await this.stores.requireExists(storeId);
    const name = query.q || undefined;
    return paginate(
      query,
      () => this.items.count(storeId, name),
      (w) => this.items.list(storeId, w, name),
      toAdminItem,
    );
  }

  async adminGet(itemId: string): Promise<AdminItemResponse> {
    return toAdminItem(await this.itemById(itemId));
  }

  async adminCreate(storeId: string, input: StoreItemCreation): Promise<AdminItemResponse> {
    return { ...(await this.create(storeId, input)), store_id: storeId };
  }

  /** The item's store is looked up first; an item deleted meanwhile answers 404 from the scoped update. */
  async adminUpdate(itemId: string, input: StoreItemCreation): Promise<AdminItemResponse> {
    const { storeId } = await this.itemById(itemId);
    return { ...(await this.update(storeId, { ...input, id: itemId })), store_id: storeId };
  }

  async adminAdjustStock(itemId: string, delta: number): Promise<AdminItemResponse> {
    const { storeId } = await this.itemById(itemId);
    return { ...(await this.adjustStock(storeId, itemId, delta)), store_id: storeId };
  }

  async adminDelete(itemId: string): Promise<void> {
    const { storeId } = await this.itemById(itemId);
    await this.delete(storeId, itemId);
  }

  private async itemById(itemId: string) {
    const item = await this.items.findById(itemId);
    if (!item) throw notFound(ITEM_NOT_FOUND);
    return item;
  }

  /** Bulk import (operators' CSV/JSON catalogues): all rows or none; rows were validated by the route's schema. */
  async importItems(storeId: string, rows: StoreItemCreation[]): Promise<StoreItemResponse[]> {
    await this.stores.requireExists(storeId);
    return (await this.items.createMany(storeId, rows.map(toFields))).map(toStoreItemResponse);
  }

  async update(storeId: string, input: StoreItemUpdate): Promise<StoreItemResponse> {
    await this.stores.requireExists(storeId);
    const item = await this.items.update(storeId, input.id, toFields(input));
    if (!item) throw notFound(ITEM_NOT_FOUND);
    return toStoreItemResponse(item);
  }

  /**
   * Relative stock change. Unlike `update`, which overwrites the balance read earlier by the terminal, this
   * cannot undo sales made in the meantime.
   */
  async adjustStock(storeId: string, itemId: string, delta: number): Promise<StoreItemResponse> {
    await this.stores.requireExists(storeId);
    const item = await this.items.adjustBalance(storeId, itemId, delta, MAX_BALANCE);
    if (item) return toStoreItemResponse(item);
    if (!(await this.items.find(storeId, itemId))) throw notFound(ITEM_NOT_FOUND);
    throw badRequest(delta < 0 ? NOT_ENOUGH_ITEMS : STOCK_TOO_LARGE);
  }

  async delete(storeId: string, itemId: string): Promise<void> {
    await this.stores.requireExists(storeId);
    if (!(await this.items.delete(storeId, itemId))) throw notFound(ITEM_NOT_FOUND);
  }
}
