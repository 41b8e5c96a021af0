import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * The Redis session contract shared by every service.
 *
 * The base service creates sessions; every service validates them by reading the same Redis. The reference
 * system used logical DB numbers (1 = robots, 4 = store terminals) and SELECT on a pooled client, which mixed
 * DBs under load; here one DB is used with key prefixes:
 *
 *   session:{kind}:{sha256(token)}  string, JSON SessionData; TTL = SESSION_TTL_SECONDS, reset on every use
 *   session-index:{kind}:{subject}  set of that subject's token hashes, so deleting a robot revokes its sessions
 *
 * Only the SHA-256 (hex) of a token is stored: whoever reads Redis (a dump, a backup, a replica) cannot use a
 * session. Tokens carry 122 random bits, so an unsalted fast hash is enough (nothing to brute-force). Sessions
 * created before hashing (keyed by the raw token, 36 characters, never 64) are still honoured and re-keyed under
 * the hash on first use, so nobody is logged out by the upgrade; they are gone after one SESSION_TTL_SECONDS.
 *
 * kind: "robot" (subject = robot id), "store" (subject = store id, the terminal's identity), "engineer"
 * (subject = engineer id, with the privilege bits the engineer had at login). Tokens are UUIDv4 from
 * crypto.randomUUID (wire-compatible with the reference's token shape, but unpredictable).
 */
export const SESSION_KINDS = ["robot", "store", "engineer"] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const DEFAULT_SESSION_TTL_SECONDS = 3600;
/** Services answer a validated session from memory this long (SESSION_CACHE_MS; see `enableCache`). */
export const DEFAULT_SESSION_CACHE_MS = 2_000;

export const sessionDataSchema = z.object({
  subject: z.string().min(1),
  privileges: z.number().int().min(0).optional(),
  createdAt: z.string().optional(),
});
export type SessionData = z.infer<typeof sessionDataSchema>;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** The Redis key of a session, by its bearer token (hashed here). */
export const sessionKey = (kind: SessionKind, token: string) => `session:${kind}:${hashToken(token)}`;
const legacySessionKey = (kind: SessionKind, token: string) => `session:${kind}:${token}`;
const LEGACY_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const storedKey = (kind: SessionKind, stored: string) => `session:${kind}:${stored}`;
export const sessionIndexKey = (kind: SessionKind, subject: string) => `session-index:${kind}:${subject}`;
/** Pub/sub channel on which every revocation names the revoked sessions (`{kind}:{hash}` per line). */
export const SESSION_REVOCATIONS_CHANNEL = "session-revocations";
/** A stored index entry is a token hash (64 hex) or, for a legacy session, the raw token: the cache key's hash. */
const hashOfStored = (stored: string) => (stored.length === 64 ? stored : hashToken(stored));

export interface SessionCacheOptions {
  /**
   * How long a session read from Redis is answered from memory. Revocations reach every process at once over
   * pub/sub; this is the bound when one could not (and how often a session in use slides its Redis expiry).
   */
  maxAgeMs: number;
  /** Sessions kept in memory at most (the oldest are dropped first). */
  maxEntries?: number;
}

interface CachedSession {
  data: SessionData;
  expiresAt: number;
}

export class SessionStore {
  private cache: Map<string, CachedSession> | undefined;
  private cacheOptions: Required<SessionCacheOptions> | undefined;
  private subscriber: Redis | undefined;
  /** True while the subscriber is subscribed: only then can a revocation elsewhere reach this process. */
  private listening = false;
  /** Bumped by every revocation heard and every loss of the subscription (see `validate`). */
  private epoch = 0;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = DEFAULT_SESSION_TTL_SECONDS,
  ) {}

  /**
   * Answers `validate` from memory for up to `maxAgeMs` after a session was read from Redis, which took a Redis
   * round trip (two commands) off every authenticated request. Correctness rests on revocations: `revoke` and
   * `revokeSubject` publish the revoked sessions on SESSION_REVOCATIONS_CHANNEL and every process listening drops
   * them at once; whenever this process is not subscribed (connecting, Redis down) the cache is bypassed and
   * emptied, so a revocation it could not hear is never overlooked. The Redis client in use must be ready too,
   * so a Redis outage still answers 503 at once. Resolves once subscribed (or after `timeoutMs`; the cache then
   * starts working when the subscription comes up).
   */
  async enableCache(options: SessionCacheOptions, timeoutMs = 5_000): Promise<void> {
    if (this.subscriber) return;
    this.cacheOptions = { maxEntries: 10_000, ...options };
    this.cache = new Map();
    const subscriber = this.redis.duplicate({
      enableOfflineQueue: true,
      connectionName: `${this.redis.options.connectionName ?? "rail"}:session-revocations`,
    });
    this.subscriber = subscriber;
    const lost = () => {
      this.listening = false;
      this.epoch++;
      this.cache?.clear();
    };
    subscriber.on("error", () => {}); // the main client reports Redis errors; this one only reconnects
    subscriber.on("close", lost);
    subscriber.on("end", lost);
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== SESSION_REVOCATIONS_CHANNEL) return;
      this.epoch++;
      for (const key of message.split("\n")) this.cache?.delete(key);
    });
    // Subscribed anew on every (re)connection; the cache works only once Redis confirmed the subscription.
    let subscribed: () => void = () => {};
    const whenSubscribed = new Promise<void>((resolve) => (subscribed = resolve));
    subscriber.on("ready", () => {
      subscriber.subscribe(SESSION_REVOCATIONS_CHANNEL).then(
        () => {
          if (subscriber.status !== "ready" || this.subscriber !== subscriber) return;
          this.listening = true;
          subscribed();
        },
        () => {}, // the connection dropped again: "close" cleared everything, the next "ready" retries
      );
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([whenSubscribed, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Stops listening for revocations (the cache goes with it). */
  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.cache = undefined;
    this.listening = false;
    if (subscriber) {
      subscriber.removeAllListeners("close");
      subscriber.removeAllListeners("end");
      subscriber.disconnect();
    }
  }

  private cacheUsable(): boolean {
    return this.listening && this.redis.status === "ready" && this.subscriber?.status === "ready";
  }

  async create(kind: SessionKind, subject: string, extra: { privileges?: number } = {}): Promise<string> {
    const token = randomUUID();
    const data: SessionData = { subject, ...extra, createdAt: new Date().toISOString() };
    await this.redis
      .multi()
      .set(sessionKey(kind, token), JSON.stringify(data), "EX", this.ttlSeconds)
      .sadd(sessionIndexKey(kind, subject), hashToken(token))
      .expire(sessionIndexKey(kind, subject), this.ttlSeconds)
      .exec();
    return token;
  }

  /** Returns the session and slides its expiry (GETEX is atomic), or null when unknown or expired. */
  async validate(kind: SessionKind, token: string): Promise<SessionData | null> {
    if (!token || token.length > 200) return null;
    const cache = this.cache;
    if (!cache) return this.read(kind, token);
    const key = `${kind}:${hashToken(token)}`;
    const usable = this.cacheUsable();
    if (usable) {
      const hit = cache.get(key);
      if (hit && hit.expiresAt > performance.now()) return hit.data;
    }
    // A revocation heard while Redis answered may concern this very session: then the answer is not kept.
    const epoch = this.epoch;
    const data = await this.read(kind, token);
    if (data && usable && epoch === this.epoch && this.cacheUsable()) {
      cache.delete(key); // re-inserted last: the Map's order is the eviction order
      cache.set(key, { data, expiresAt: performance.now() + this.cacheOptions!.maxAgeMs });
      if (cache.size > this.cacheOptions!.maxEntries) cache.delete(cache.keys().next().value!);
    } else if (!data) cache.delete(key);
    return data;
  }

  private async read(kind: SessionKind, token: string): Promise<SessionData | null> {
    const raw =
      (await this.redis.getex(sessionKey(kind, token), "EX", this.ttlSeconds)) ??
      (await this.upgradeLegacy(kind, token));
    if (!raw) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = sessionDataSchema.safeParse(json);
    if (!parsed.success) return null;
    await this.redis.expire(sessionIndexKey(kind, parsed.data.subject), this.ttlSeconds);
    return parsed.data;
  }

  /** A session stored under its raw token (before hashing): moved under the hash, then read as usual. */
  private async upgradeLegacy(kind: SessionKind, token: string): Promise<string | null> {
    // Legacy tokens are UUIDs; anything else (a stored 64-hex hash above all) must not be looked up raw.
    if (!LEGACY_TOKEN.test(token)) return null;
    const legacy = legacySessionKey(kind, token);
    const raw = await this.redis.get(legacy);
    if (!raw) return null;
    const parsed = sessionDataSchema.safeParse(safeJson(raw));
    const index = parsed.success ? sessionIndexKey(kind, parsed.data.subject) : undefined;
    const tx = this.redis.multi().set(sessionKey(kind, token), raw, "EX", this.ttlSeconds).del(legacy);
    if (index) tx.srem(index, token).sadd(index, hashToken(token));
    await tx.exec();
    return raw;
  }

  async revoke(kind: SessionKind, token: string): Promise<void> {
    await this.read(kind, token); // re-keys a legacy session first
    const raw = await this.redis.get(sessionKey(kind, token));
    await this.redis.del(sessionKey(kind, token));
    if (raw) {
      const parsed = sessionDataSchema.safeParse(safeJson(raw));
      if (parsed.success) await this.redis.srem(sessionIndexKey(kind, parsed.data.subject), hashToken(token));
    }
    await this.announce(kind, [hashToken(token)]);
  }

  /** Ends every session of a subject (robot replaced or deleted, engineer privileges changed...). */
  async revokeSubject(kind: SessionKind, subject: string): Promise<number> {
    const indexKey = sessionIndexKey(kind, subject);
    const tokens = await this.redis.smembers(indexKey);
    const pipeline = this.redis.multi();
    // Index entries are token hashes (or raw tokens of legacy sessions): either is the key's last part.
    for (const stored of tokens) pipeline.del(storedKey(kind, stored));
    pipeline.del(indexKey);
    await pipeline.exec();
    await this.announce(kind, tokens.map(hashOfStored));
    return tokens.length;
  }

  /** Tells every process (this one at once) that these sessions are gone; called after they left Redis. */
  private async announce(kind: SessionKind, hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    const keys = hashes.map((hash) => `${kind}:${hash}`);
    this.epoch++;
    for (const key of keys) this.cache?.delete(key);
    await this.redis.publish(SESSION_REVOCATIONS_CHANNEL, keys.join("\n"));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
