import { conflict, notFound, paginate } from "@rail/common";
import type { Page, PageQuery, StoreDto } from "@rail/common";
import type { Deps } from "../app.js";
import { isUniqueViolation } from "../shared/db-errors.js";
import { StoreGateway } from "../store/store.gateway.js";
import { trainStoreRepository } from "./train-stores.repository.js";
import type { TrainData } from "./train-stores.schemas.js";

// The reference fetched at most 50 stores per train run.
const MAX_TRAIN_STORES = 50;

/** Binds a store (checked against the store service) to a train run; one binding per (store, train, date). */
export async function bindStore(deps: Deps, storeId: string, train: TrainData): Promise<void> {
  const store = await new StoreGateway(deps.storeClient).getStore(storeId);
  if (!store) throw notFound("Store id not found");
  try {
    await trainStoreRepository.create(deps.db, storeId, train.train_number, train.train_date);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("Binding already exists");
    throw err;
  }
}

export const unbindStore = (deps: Deps, storeId: string, train: TrainData) =>
  trainStoreRepository.delete(deps.db, storeId, train.train_number, train.train_date);

export const listBoundStoreIds = (deps: Deps, train: TrainData, page: PageQuery): Promise<Page<string>> =>
  paginate(
    page,
    () => trainStoreRepository.count(deps.db, train.train_number, train.train_date),
    (w) => trainStoreRepository.listStoreIds(deps.db, train.train_number, train.train_date, w),
  );

/**
 * The stores serving a train run, as the store service describes them; an empty list when none is bound.
 * Stores the store service no longer knows are skipped; its outage is a 503.
 */
export async function trainStores(deps: Deps, train: TrainData): Promise<StoreDto[]> {
  const ids = await trainStoreRepository.listStoreIds(deps.db, train.train_number, train.train_date, {
    skip: 0,
    take: MAX_TRAIN_STORES,
  });
  const gateway = new StoreGateway(deps.storeClient);
  const stores = await Promise.all(ids.map((id) => gateway.getStore(id)));
  return stores.filter((s): s is StoreDto => s !== null);
}
