import { HttpError, storeSchema, type ServiceClient, type StoreDto } from "@rail/common";

/** The store service as the base service uses it: `GET /admin/store/{id}` (service token). */
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
}
