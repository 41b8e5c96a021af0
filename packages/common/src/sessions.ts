import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * The Redis session contract shared by every service.
 *
 * The base service creates sessions; every service validates them by reading the same Redis. The reference
 * system used logical DB numbers (1 = robots, 4 = store terminals) and SELECT on a pooled client, which mixed
 * DBs under load; here one DB is used with key prefixes:
 *
 *   session:{kind}:{token}          string, JSON SessionData; TTL = SESSION_TTL_SECONDS, reset on every use
 *   session-index:{kind}:{subject}  set of that subject's tokens, so deleting a robot revokes its sessions
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

export const sessionKey = (kind: SessionKind, token: string) => `session:${kind}:${token}`;
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
      .sadd(sessionIndexKey(kind, subject), token)
      .expire(sessionIndexKey(kind, subject), this.ttlSeconds)
      .exec();
    return token;
  }

  /** Returns the session and slides its expiry (GETEX is atomic), or null when unknown or expired. */
  async validate(kind: SessionKind, token: string): Promise<SessionData | null> {
    if (!token || token.length > 200) return null;
    const raw = await this.redis.getex(sessionKey(kind, token), "EX", this.ttlSeconds);
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

  async revoke(kind: SessionKind, token: string): Promise<void> {
    const raw = await this.redis.get(sessionKey(kind, token));
    await this.redis.del(sessionKey(kind, token));
    if (raw) {
      const parsed = sessionDataSchema.safeParse(JSON.parse(raw));
      if (parsed.success) await this.redis.srem(sessionIndexKey(kind, parsed.data.subject), token);
    }
  }

  /** Ends every session of a subject (robot replaced or deleted, engineer privileges changed...). */
  async revokeSubject(kind: SessionKind, subject: string): Promise<number> {
    const indexKey = sessionIndexKey(kind, subject);
    const tokens = await this.redis.smembers(indexKey);
    const pipeline = this.redis.multi();
    for (const token of tokens) pipeline.del(sessionKey(kind, token));
    pipeline.del(indexKey);
    await pipeline.exec();
    return tokens.length;
  }
}
