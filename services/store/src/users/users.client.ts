import { z } from "zod";
import { HttpError, ServiceClient } from "@rail/common";

/** Answers whether a passenger id is known to the railway (the base service owns users). */
export interface BuyerDirectory {
  exists(userId: string, robotToken: string): Promise<boolean>;
}

const userSchema = z.object({ id: z.string(), name: z.string() });

/**
 * Asks the base service's robot route `GET /robot/user/{user_id}` (reference 3.2.8) with the purchasing robot's
 * own token: robot sessions are valid on both services, so no new base endpoint is needed.
 */
export class BaseUsersClient implements BuyerDirectory {
  constructor(
    private readonly baseApiUrl: string,
    private readonly timeoutMs = 3000,
  ) {}

  async exists(userId: string, robotToken: string): Promise<boolean> {
    const base = new ServiceClient({ name: "base", baseUrl: this.baseApiUrl, token: robotToken, timeoutMs: this.timeoutMs });
    const res = await base.request({ method: "GET", path: `/robot/user/${encodeURIComponent(userId)}`, response: userSchema });
    if (res.ok) return true;
    if (res.status === 404) return false;
    // Anything else (e.g. base refusing the robot's token) means we cannot tell: don't guess.
    throw new HttpError(503, "Base service unavailable");
  }
}
