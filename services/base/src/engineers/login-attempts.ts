import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { Sema } from "async-sema";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { HttpError } from "@rail/common";

export interface LoginLimits {
  /** Failures of one login (from anywhere) before each further attempt must wait (progressive delay). */
  freeFailures: number;
  /** Failure counters reset this long after their first failure. */
  windowSeconds: number;
  /** The longest wait between attempts on one login, however many failures: the right password is never locked out. */
  maxDelaySeconds: number;
  /** Failures allowed per client address within the window, across all logins (password spraying), then 429. */
  failuresPerAddress: number;
  /** Password checks (bcrypt) running at once in this process; a flood cannot take the CPU from robots. */
  concurrentChecks: number;
  /** Checks waiting for a slot; past this, 503 at once. */
  queuedChecks: number;
}

export const DEFAULT_LOGIN_LIMITS = {
  maxDelaySeconds: 60,
  failuresPerAddress: 100,
  concurrentChecks: 2,
  queuedChecks: 8,
} as const;

const hashed = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex");
const retryAfter = (res: RateLimiterRes) => String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

/**
 * Engineer password checks, limited as OWASP's authentication cheat sheet advises, with rate-limiter-flexible
 * counters in Redis (shared by every base replica; each counter is one atomic Lua call, so parallel guesses cannot
 * slip past):
 *
 * - per login: the first `freeFailures` failures are free; after each further failure the next attempt must wait,
 *   the wait doubling with each failure (1 s, 2 s, 4 s ...) up to `maxDelaySeconds`, counted from the failure.
 *   Attempts inside the wait get 429 with Retry-After. Unlike a lockout, an attacker cannot keep the right
 *   password out for longer than that wait.
 * - per client address (as nginx reports it): `failuresPerAddress` failures within the window across all logins,
 *   then 429 for the rest of the window (password spraying; an attacker's address is blocked, not the account).
 * - at most `concurrentChecks` bcrypt checks at once, `queuedChecks` waiting; more is 503 at once.
 *
 * A success clears the login's counters and does not count against the address.
 */
export class LoginAttempts {
  private readonly limits: LoginLimits;
  private readonly byLogin: RateLimiterRedis;
  private readonly gate: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  private readonly checks: Sema;

  constructor(redis: Redis, maxFailures: number, windowSeconds: number, limits: Partial<LoginLimits> = {}) {
    this.limits = {
      ...DEFAULT_LOGIN_LIMITS,
      freeFailures: maxFailures,
      windowSeconds,
      ...limits,
    };
    const { freeFailures, failuresPerAddress } = this.limits;
    this.byLogin = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "login-failures:login",
      points: Number.MAX_SAFE_INTEGER, // a counter only: the gate below does the limiting
      duration: windowSeconds,
    });
    this.gate = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "login-delay",
      points: 1,
      duration: 1,
    });
    this.byAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: "login-failures:address",
      points: failuresPerAddress,
      duration: windowSeconds,
    });
    this.checks = new Sema(this.limits.concurrentChecks);
    if (freeFailures < 1) throw new Error("freeFailures must be at least 1");
  }

  /** Seconds to wait after the `failures`-th failure (failures ≥ freeFailures): 1, 2, 4 ... up to the maximum. */
  private delay(failures: number): number {
    return Math.min(2 ** (failures - this.limits.freeFailures), this.limits.maxDelaySeconds);
  }

  /**
   * Runs `verify` (the password check, returning the engineer or null) within the limits: its result, 401 when it
   * returns null, 429 with Retry-After past a limit, 503 when too many checks are running.
   */
  async attempt<T>(login: string, ip: string, verify: () => Promise<T | null>): Promise<T> {
    const loginKey = hashed(login);
    const addressKey = hashed(ip);
    // Counted before the check: parallel guesses see each other's attempts.
    const address = await this.byAddress.consume(addressKey).catch(rethrowUnlessLimited);
    if (address instanceof RateLimiterRes && address.consumedPoints > this.limits.failuresPerAddress) {
      throw new HttpError(429, "Too many failed login attempts from this address, try again later", {
        "Retry-After": retryAfter(address),
      });
    }
    const refund = async () => {
      await Promise.all([this.byAddress.reward(addressKey, 1), this.byLogin.reward(loginKey, 1)]);
    };
    const failures = (await this.byLogin.consume(loginKey)).consumedPoints - 1;
    if (failures + 1 === this.limits.freeFailures) {
      // The last free attempt closes the gate already, so a burst past the limit is refused at once.
      await this.gate.consume(loginKey, 1, { customDuration: 1 }).catch(rethrowUnlessLimited);
    } else if (failures >= this.limits.freeFailures) {
      // One attempt at a time: the gate stays closed while it runs (and after it fails, see below).
      const gate = await this.gate
        .consume(loginKey, 1, { customDuration: this.delay(failures) })
        .catch(rethrowUnlessLimited);
      if (gate.consumedPoints > 1) {
        await refund(); // no password was checked
        throw new HttpError(429, "Too many failed login attempts, try again later", {
          "Retry-After": retryAfter(gate),
        });
      }
    }
    if (this.checks.nrWaiting() >= this.limits.queuedChecks) {
      await refund();
      throw new HttpError(503, "Too many logins at once, try again shortly", { "Retry-After": "1" });
    }
    await this.checks.acquire();
    let result: T | null;
    try {
      result = await verify();
    } finally {
      this.checks.release();
    }
    if (result === null) {
      // The next attempt on this login waits from now: 1 s after the last free failure, then 2 s, 4 s ...
      const failed = failures + 1;
      if (failed >= this.limits.freeFailures) await this.gate.block(loginKey, this.delay(failed));
      throw new HttpError(401, "Invalid credentials");
    }
    await Promise.all([
      this.byLogin.delete(loginKey),
      this.gate.delete(loginKey),
      this.byAddress.reward(addressKey, 1),
    ]);
    return result;
  }
}

/** rate-limiter-flexible rejects with a RateLimiterRes past the limit, with an Error when Redis fails. */
function rethrowUnlessLimited(err: unknown): RateLimiterRes {
  if (err instanceof RateLimiterRes) return err;
  throw err;
}
