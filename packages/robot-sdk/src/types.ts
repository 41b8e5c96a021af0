/**
 * Wire shapes of the robot routes (JSON names as the services send them), taken from the services' OpenAPI
 * documents through the generated src/api/*.ts: a route whose schema changes changes these types (and
 * src/api/openapi.test.ts fails until the files are regenerated), instead of hand-kept copies drifting.
 */
import type { BaseBody, BaseOk, StoreBody, StoreOk } from "./api/index.js";

type Hotels = BaseOk<"/robot/destination/{destination_id}/hotels", "get">;

/** A page of a list route (`page` counts from 1). */
export type Page<T> = Omit<Hotels, "items"> & { items: T[] };

export type User = BaseOk<"/robot/user/{user_id}", "get">;

export type Engineer = BaseOk<"/robot/engineer/admin_access", "post">;

/** A ticket; `code` is the secret code on the code path and "" elsewhere. */
export type Ticket = BaseOk<"/robot/ticket_validation", "post">;

export type Destination = BaseOk<"/robot/determine_destination", "post">;

/** A hotel or an attraction at a destination. */
export type PlaceInfo = Hotels["items"][number];

/** The stores serving a train run: `items` are store ids (post them to storesList for names and items). */
export type TrainStores = BaseOk<"/robot/train/{train_number}/stores", "get">;

export type Store = StoreOk<"/robot/store/{store_id}", "get">;

export type StoreItem = NonNullable<Store["items"]>[number];

type PurchaseBody = StoreBody<"/robot/store/{store_id}/make_purchase", "post">;

/**
 * A purchase for a passenger. `is_default_ready` (default false): the task is ready at once (nothing to
 * prepare); `train_number`: the train the goods go to (robots list ready tasks by it).
 */
export type PurchaseRequest = Omit<PurchaseBody, "is_default_ready"> &
  Partial<Pick<PurchaseBody, "is_default_ready">>;

export type Purchase = StoreOk<"/robot/store/{store_id}/make_purchase", "post">;

export type Task = StoreOk<"/robot/task/{task_id}/delivered", "put">;

/**
 * Keys, deny list (tickets refunded or cancelled: refuse their codes) and used tickets of one run, for
 * checking its tickets offline.
 */
export type OfflinePack = BaseOk<"/robot/ticket_offline_pack", "get">;

export type TicketUseUpload = BaseBody<"/robot/ticket_uses", "post">["uses"][number];

export type TicketUseResult = BaseOk<"/robot/ticket_uses", "post">["results"][number];
