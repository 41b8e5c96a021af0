import { conflict, notFound, paginate } from "@rail/common";
import type { Page, PageQuery, StoreDto } from "@rail/common";
import type { RunsService } from "../runs/runs.service.js";
import type { StoreGateway } from "../store/store.gateway.js";
import type { TrainRun, TrainStoresRepository } from "./train-stores.repository.js";
import type { TrainData } from "./train-stores.schemas.js";

// The reference fetched at most 50 stores per train run.
const MAX_TRAIN_STORES = 50;

const toRun = (train: TrainData): TrainRun => ({
  trainNumber: train.train_number,
  trainDate: train.train_date,
});

export class TrainStoresService {
  constructor(
    private readonly bindings: TrainStoresRepository,
    private readonly stores: StoreGateway,
    private readonly runs: Pick<RunsService, "named">,
    /** The store's terminal key and sessions (the auth feature), forgotten with the store. */
    private readonly terminals?: { deleteStoreTerminal(storeId: string): Promise<void> },
  ) {}

  /**
   * Binds a store (checked against the store service) to a run: `train_date` must be exactly the departure of a
   * run of the train from its origin (422 otherwise). One binding per (store, run).
   */
  async bind(storeId: string, train: TrainData): Promise<void> {
    const run = await this.runs.named(train.train_number, train.train_date);
    if (!(await this.stores.getStore(storeId))) throw notFound("Store id not found");
    if ((await this.bindings.create(storeId, { ...toRun(train), runId: run.id })) === "duplicate")
      throw conflict("Binding already exists");
  }

  /** Idempotent. */
  unbind(storeId: string, train: TrainData): Promise<void> {
    return this.bindings.delete(storeId, toRun(train));
  }

  /**
   * The store service is deleting a store: its run bindings go, and its terminal's key and sessions (idempotent).
   * How many bindings there were.
   */
  async forgetStore(storeId: string): Promise<number> {
    const removed = await this.bindings.deleteStore(storeId);
    await this.terminals?.deleteStoreTerminal(storeId);
    return removed;
  }

  listBoundStoreIds(train: TrainData, page: PageQuery): Promise<Page<string>> {
    const run = toRun(train);
    return paginate(
      page,
      () => this.bindings.count(run),
      (w) => this.bindings.listStoreIds(run, w),
    );
  }

  /**
   * The stores serving a train run, as the store service describes them; an empty list when none is bound.
   * Stores the store service no longer knows are skipped; its outage is a 503.
   */
  async trainStores(train: TrainData): Promise<StoreDto[]> {
    const ids = await this.bindings.listStoreIds(toRun(train), { skip: 0, take: MAX_TRAIN_STORES });
    const stores = await Promise.all(ids.map((id) => this.stores.getStore(id)));
    return stores.filter((s): s is StoreDto => s !== null);
  }
}
