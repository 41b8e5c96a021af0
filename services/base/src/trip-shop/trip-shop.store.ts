import { HttpError, storeSchema, type ServiceClient, type StoreDto } from "@rail/common";
import { storePurchaseSchema } from "./trip-shop.schemas.js";

export interface PurchaseLine {
  item_id: string;
  count: number;
}

/** The store service as the on-board shop uses it (service token). */
export class TripShopStore {
  constructor(private readonly client: ServiceClient) {}

  /** The store with its items, or null when the store service does not know it (binding left behind). */
  async getStore(storeId: string): Promise<StoreDto | null> {
    const res = await this.client.request({
      method: "GET",
      path: `/admin/store/${encodeURIComponent(storeId)}`,
      response: storeSchema,
    });
    if (res.ok) return res.data;
    if (res.status === 404 || res.status === 422) return null;
    throw new HttpError(503, "Store service unavailable");
  }

  /**
   * Buys for a passenger through the store's internal purchase route. The Idempotency-Key goes through as is:
   * the store keeps the first answer for it, so a repeated request never buys twice.
   */
  async purchase(
    storeId: string,
    body: {
      user_id: string;
      items: PurchaseLine[];
      train_number: number;
      additional_data: Record<string, unknown>;
    },
    idempotencyKey: string,
  ) {
    const res = await this.client.request({
      method: "POST",
      path: `/internal/stores/${encodeURIComponent(storeId)}/purchases`,
      headers: { "Idempotency-Key": idempotencyKey },
      body: { ...body, is_default_ready: false },
      response: storePurchaseSchema,
    });
    if (res.ok) return res.data;
    // The store's own answers a passenger can act on pass through ("Not enough items", "Store not found", ...).
    if (res.status === 400 || res.status === 404 || res.status === 409)
      throw new HttpError(res.status, typeof res.detail === "string" ? res.detail : "Order refused");
    if (res.status === 422)
      throw new HttpError(422, res.detail as ConstructorParameters<typeof HttpError>[1]);
    throw new HttpError(503, "Store service unavailable");
  }
}
