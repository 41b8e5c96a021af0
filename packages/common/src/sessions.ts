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

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = DEFAULT_SESSION_TTL_SECONDS,
  ) {}

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
    await this.validate(kind, token); // re-keys a legacy session first
    const raw = await this.redis.get(sessionKey(kind, token));
    await this.redis.del(sessionKey(kind, token));
    if (raw) {
      const parsed = sessionDataSchema.safeParse(safeJson(raw));
      if (parsed.success) await this.redis.srem(sessionIndexKey(kind, parsed.data.subject), hashToken(token));
    }
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
    return tokens.length;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
