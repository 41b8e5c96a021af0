import { z } from "zod";
import { HttpError, type ServiceClient } from "@rail/common";

/** Answers whether a passenger id is known to the railway (the base service owns users). */
export interface BuyerDirectory {
  exists(userId: string): Promise<boolean>;
}

const userSchema = z.object({ id: z.string(), name: z.string() });

/** Asks the base service's internal route `GET /internal/users/{user_id}` with the internal service token. */
export class BaseUsersClient implements BuyerDirectory {
  constructor(private readonly base: ServiceClient) {}

  async exists(userId: string): Promise<boolean> {
    const res = await this.base.request({
      method: "GET",
      path: `/internal/users/${encodeURIComponent(userId)}`,
      response: userSchema,
    });
    if (res.ok) return true;
    if (res.status === 404) return false;
    // Anything else (e.g. base refusing our token) means we cannot tell: don't guess.
    throw new HttpError(503, "Base service unavailable");
  }
}
