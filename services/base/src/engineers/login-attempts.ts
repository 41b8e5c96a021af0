import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { HttpError } from "@rail/common";

/**
 * Failed password checks per (login, client address) in Redis. Attempts are counted before the check (one atomic
 * INCR, so parallel guesses cannot slip past the limit); a success clears the count. Past `maxFailures` within
 * `windowSeconds` every attempt is 429 until the window ends.
 */
export class LoginAttempts {
  constructor(
    private readonly redis: Redis,
    private readonly maxFailures: number,
    private readonly windowSeconds: number,
  ) {}

  private key(login: string, ip: string) {
    return `login-failures:engineer:${createHash("sha256").update(`${login}\0${ip}`).digest("hex")}`;
  }

  /** Counts this attempt; 429 with Retry-After when the limit is already used up. */
  async begin(login: string, ip: string): Promise<void> {
    const key = this.key(login, ip);
    const [[, attempts] = []] =
      (await this.redis.multi().incr(key).expire(key, this.windowSeconds, "NX").exec()) ?? [];
    if (Number(attempts) > this.maxFailures) {
      throw new HttpError(429, "Too many failed login attempts, try again later", {
        "Retry-After": String(Math.max(1, await this.redis.ttl(key))),
      });
    }
  }

  async succeeded(login: string, ip: string): Promise<void> {
    await this.redis.del(this.key(login, ip));
  }
}
