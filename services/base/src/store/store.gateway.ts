import { HttpError, storeSchema, type PageQuery, type ServiceClient, type StoreDto } from "@rail/common";
import { orderPageSchema, type OrderPage } from "./store.schemas.js";

/**
 * The store service as the base service uses it (service token): the only code in base that calls it.
 * `GET /admin/store/{id}` and `GET /internal/users/{user_id}/purchases`.
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
}
