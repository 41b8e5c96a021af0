import { z } from "zod";
import { HttpError, type ServiceClient } from "@rail/common";

/** What the base service keeps about a store: train-run bindings and the store terminal's key. */
export interface StoreBindings {
  /** Base forgets the store: bindings, terminal key and sessions (idempotent); 503 when that cannot be done now. */
  forget(storeId: string): Promise<void>;
}

const forgottenSchema = z.object({ status: z.literal("OK"), bindings_removed: z.number().int() });

export const BINDINGS_UNAVAILABLE =
  "Base service unavailable: the store's train bindings and terminal could not be removed, nothing was deleted";

/** Calls base's `DELETE /internal/stores/{store_id}` with the internal service token. */
export class BaseStoreBindings implements StoreBindings {
  constructor(private readonly base: ServiceClient) {}

  async forget(storeId: string): Promise<void> {
    // Down, slow, 5xx (the client throws) or refusing our token: the store must stay, and the caller hear why.
    const res = await this.base
      .request({
        method: "DELETE",
        path: `/internal/stores/${encodeURIComponent(storeId)}`,
        response: forgottenSchema,
      })
      .catch(() => null);
    if (!res?.ok) throw new HttpError(503, BINDINGS_UNAVAILABLE);
  }
}
