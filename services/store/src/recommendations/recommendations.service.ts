import type { Page, PageQuery } from "@rail/common";
import { toStoreItemResponse } from "../stores/stores.mappers.js";
import type { StoreItemResponse } from "../stores/stores.schemas.js";
import type { RecommendationsRepository } from "./recommendations.repository.js";

/**
 * The reference's three-part rule (section 8.3): the user's 2 latest purchase lines + their 4 most bought items
 * + the store's 2 best sellers, concatenated, then de-duplicated (first occurrence wins).
 */
export const RECOMMENDATION_PARTS = { latestForUser: 2, topForUser: 4, topForStore: 2 } as const;

export class RecommendationsService {
  constructor(private readonly recommendations: RecommendationsRepository) {}

  /** At most 8 distinct items in rule order (first occurrence wins); the page is cut from that short list. */
  async forUser(storeId: string, userId: string, query: PageQuery): Promise<Page<StoreItemResponse>> {
    const [latest, favourites, bestSellers] = await Promise.all([
      this.recommendations.latestForUser(storeId, userId, RECOMMENDATION_PARTS.latestForUser),
      this.recommendations.topForUser(storeId, userId, RECOMMENDATION_PARTS.topForUser),
      this.recommendations.topForStore(storeId, RECOMMENDATION_PARTS.topForStore),
    ]);
    const ids = [...new Set([...latest, ...favourites, ...bestSellers])];
    const rows = new Map((await this.recommendations.items(storeId, ids)).map((item) => [item.id, item]));
    const ordered = ids.flatMap((id) => (rows.has(id) ? [toStoreItemResponse(rows.get(id)!)] : []));
    const start = (query.page - 1) * query.size;
    return {
      items: ordered.slice(start, start + query.size),
      total: ordered.length,
      page: query.page,
      size: query.size,
      pages: Math.ceil(ordered.length / query.size),
    };
  }
}
