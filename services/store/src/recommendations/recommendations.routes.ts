import { ApiRouter, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import type { RecommendationsService } from "./recommendations.service.js";
import {
  recommendationParamsSchema,
  recommendationQuerySchema,
  recommendedItemSchema,
} from "./recommendations.schemas.js";

export function recommendationsRoutes(recommendations: RecommendationsService, guards: Guards): ApiRouter {
  return new ApiRouter().route({
    method: "get",
    path: "/robot/store/:store_id/user/:user_id/recommendations",
    summary: "Up to 8 items to suggest to a passenger in a store",
    description:
      "The passenger's 2 latest items, their 4 most bought, then the store's 2 best sellers; duplicates removed.",
    tags: ["robot"],
    auth: guards.robot,
    params: recommendationParamsSchema,
    query: recommendationQuerySchema,
    response: pageSchema(recommendedItemSchema),
    handler: ({ params, query }) => recommendations.forUser(params.store_id, params.user_id, query),
  });
}
