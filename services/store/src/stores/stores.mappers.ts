import type { StoreItemRow, StoreRow } from "./stores.repository.js";
import type { StoreItemResponse, StoreResponse } from "./stores.schemas.js";

export const toStoreItemResponse = (item: StoreItemRow): StoreItemResponse => ({
  id: item.id,
  name: item.name,
  description: item.description,
  logo_url: item.logoUrl,
  balance: item.balance,
  price_penny: item.pricePenny,
  category: item.category,
});

export const toStoreResponse = (store: StoreRow, items: StoreItemRow[] = []): StoreResponse => ({
  id: store.id,
  name: store.name,
  description: store.description,
  logo_url: store.logoUrl,
  store_type: store.storeType,
  items: items.map(toStoreItemResponse),
});
