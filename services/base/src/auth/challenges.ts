import { randomBytes, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { HttpError } from "@rail/common";
import { randomPoolString } from "../shared/random.js";

export type ClientKind = "robot" | "store";

export const CHALLENGE_LENGTH = 100;
// Ciphertext size of an RSA-2048 key, the key size robots and terminals generate: decoys look like real challenges.
export const DECOY_CIPHERTEXT_BYTES = 256;

export const newChallenge = () => randomPoolString(CHALLENGE_LENGTH);
export const decoyCiphertext = () => randomBytes(DECOY_CIPHERTEXT_BYTES).toString("base64");

const challengeKey = (kind: ClientKind, requestId: string) => `challenge:${kind}:${requestId}`;

// Compare and delete in one step, so one challenge yields at most one session; wrong answers count toward a limit.
const CONSUME_SCRIPT = `
local answer = redis.call('HGET', KEYS[1], 'answer')
if not answer then return false end
if answer == ARGV[1] then
  local subject = redis.call('HGET', KEYS[1], 'subject')
  redis.call('DEL', KEYS[1])
  return subject
end
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
if failures >= tonumber(ARGV[2]) then redis.call('DEL', KEYS[1]) end
return false
`;

/**
 * Pending login challenges in Redis: `challenge:{kind}:{request_id}` hash {answer, subject, failures} with a TTL
 * (the reference kept them forever).
 */
export class ChallengeStore {
  private readonly perAddress: RateLimiterRedis;

  /**
   * `requestsPerMinute`: challenge requests and answers allowed per client address and minute (a robot needs two
   * per login; a station's robots may share an address), then 429 with Retry-After.
   */
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
    private readonly maxFailures: number,
    requestsPerMinute = 120,
  ) {
    this.perAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "challenge-requests",
      points: requestsPerMinute,
      duration: 60,
    });
  }

  /** Counts a challenge request or answer from `ip`; 429 past the limit. */
  async admit(ip: string): Promise<void> {
    try {
      await this.perAddress.consume(ip);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new HttpError(429, "Too many login requests from this address, try again later", {
        "Retry-After": String(Math.max(1, Math.ceil(err.msBeforeNext / 1000))),
      });
    }
  }

  async issue(kind: ClientKind, subject: string, answer: string): Promise<string> {
    const requestId = randomUUID();
    const key = challengeKey(kind, requestId);
    await this.redis.multi().hset(key, { answer, subject, failures: 0 }).expire(key, this.ttlSeconds).exec();
    return requestId;
  }

  /** The subject when `answer` is right (the challenge is gone afterwards), otherwise null. */
  async consume(kind: ClientKind, requestId: string, answer: string): Promise<string | null> {
    const result = await this.redis.eval(
      CONSUME_SCRIPT,
      1,
      challengeKey(kind, requestId),
      answer,
      this.maxFailures,
    );
    return typeof result === "string" ? result : null;
  }
}
