import { badRequest, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { NOT_ENOUGH_ITEMS } from "../purchases/purchases.service.js";
import { toStoreItemResponse } from "../stores/stores.mappers.js";
import type { StoreItemResponse } from "../stores/stores.schemas.js";
import type { StoresService } from "../stores/stores.service.js";
import type { ItemFields, ItemsRepository } from "./items.repository.js";
import { MAX_BALANCE, type StoreItemCreation, type StoreItemUpdate } from "./items.schemas.js";

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
    return toStoreItemResponse(await this.items.create(storeId, toFields(input)));
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
