import { HttpError, storeSchema, type PageQuery, type ServiceClient, type StoreDto } from "@rail/common";
import { orderPageSchema, storePurchaseSchema, type OrderPage } from "./store.schemas.js";

export interface PurchaseLine {
  item_id: string;
  count: number;
}

/**
 * The store service as the base service uses it (service token): the only code in base that calls it.
 * `GET /admin/store/{id}`, `GET /internal/users/{user_id}/purchases`, `POST /internal/stores/{id}/purchases`.
 */
export class StoreGateway {
  constructor(private readonly client: ServiceClient) {}

  /** The store with its items, or null when the store service does not know it. */
  async getStore(storeId: string): Promise<StoreDto | null> {
    const res = await this.client.request({
      method: "GET",
      path: `/admin/store/${encodeURIComponent(storeId)}`,
      response: storeSchema,
    });
    if (res.ok) return res.data;
    if (res.status === 404 || res.status === 422) return null;
    // Our token rejected or another surprise: the dependency is unusable for us right now.
    throw new HttpError(503, "Store service unavailable");
  }

  /** A passenger's purchases, newest first, paged by the store service. */
  async userPurchases(userId: string, page: PageQuery): Promise<OrderPage> {
    const res = await this.client.request({
      method: "GET",
      path: `/internal/users/${encodeURIComponent(userId)}/purchases`,
      query: { page: page.page, size: page.size },
      response: orderPageSchema,
    });
    if (res.ok) return res.data;
    // Our service token refused: the dependency is unusable for us right now.
    if (res.status === 401 || res.status === 403) throw new HttpError(503, "Store service unavailable");
    throw new HttpError(502, "Store service returned an unexpected response");
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
