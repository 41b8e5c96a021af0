import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import type { FaceExample } from "../generated/prisma/client.js";
import type { Db } from "../db.js";

export type { FaceExample };

export interface NewFaceExample {
  id: string;
  userId: string;
  detectorScore: number;
  box: { x: number; y: number; width: number; height: number };
}

/** Any fixed number; only enrolments take this lock, so they run one at a time (they are rare and short). */
const ENROLMENT_LOCK_KEY = 7_402_113;

/** Face examples in Postgres: the authority on which Chroma records exist and count. */
export class FaceRepository {
  constructor(private readonly db: Db | PrismaClient) {}

  insertPending(example: NewFaceExample): Promise<FaceExample> {
    return this.db.faceExample.create({
      data: {
        id: example.id,
        userId: example.userId,
        state: "pending",
        detectorScore: example.detectorScore,
        boxX: example.box.x,
        boxY: example.box.y,
        boxWidth: example.box.width,
        boxHeight: example.box.height,
      },
    });
  }

  /**
   * Runs `fn` holding a transaction-scoped advisory lock shared by all enrolments, so the "is this face
   * already someone else's?" check and the activation cannot interleave between two concurrent enrolments.
   */
  withEnrolmentLock<T>(fn: (tx: FaceRepository) => Promise<T>): Promise<T> {
    return (this.db as PrismaClient).$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ENROLMENT_LOCK_KEY}::bigint)`;
        return fn(new FaceRepository(tx as unknown as PrismaClient));
      },
      { timeout: 20_000, maxWait: 20_000 },
    );
  }

  /** pending -> active; false when the example was deleted meanwhile. */
  async activate(id: string): Promise<boolean> {
    const { count } = await this.db.faceExample.updateMany({
      where: { id, state: "pending" },
      data: { state: "active" },
    });
    return count === 1;
  }

  countActive(userId?: string): Promise<number> {
    return this.db.faceExample.count({
      where: { state: "active", ...(userId === undefined ? {} : { userId }) },
    });
  }

  activeByIds(ids: string[]): Promise<FaceExample[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.faceExample.findMany({ where: { id: { in: ids }, state: "active" } });
  }

  activeForUser(userId: string): Promise<FaceExample[]> {
    return this.db.faceExample.findMany({
      where: { userId, state: "active" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
  }

  /** Active examples (id and user only) of any of these users. */
  activeForUsers(userIds: string[]): Promise<{ id: string; userId: string }[]> {
    if (userIds.length === 0) return Promise.resolve([]);
    return this.db.faceExample.findMany({
      where: { userId: { in: userIds }, state: "active" },
      select: { id: true, userId: true },
    });
  }

  async activeUserIds(): Promise<string[]> {
    const rows = await this.db.faceExample.findMany({
      where: { state: "active" },
      distinct: ["userId"],
      select: { userId: true },
      orderBy: { userId: "asc" },
    });
    return rows.map((r) => r.userId);
  }

  findById(id: string): Promise<FaceExample | null> {
    return this.db.faceExample.findUnique({ where: { id } });
  }

  /** Marks a user's pending and active examples as deleting (matching stops now) and returns their ids. */
  markUserDeleting(userId: string): Promise<string[]> {
    return this.markDeleting(Prisma.sql`user_id = ${userId}`);
  }

  markExampleDeleting(id: string): Promise<string[]> {
    return this.markDeleting(Prisma.sql`id = ${id}::uuid`);
  }

  private async markDeleting(condition: Prisma.Sql): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE face_examples SET state = 'deleting', updated_at = now()
      WHERE state IN ('pending', 'active') AND ${condition}
      RETURNING id::text AS id`;
    return rows.map((r) => r.id);
  }

  /** Removes rows once their Chroma records are gone; never touches an example that became active. */
  async deleteRows(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.faceExample.deleteMany({
      where: { id: { in: ids }, state: { in: ["pending", "deleting"] } },
    });
  }

  /** Examples stuck half-way (a crash or an outage between Postgres and Chroma) for longer than the grace. */
  async stale(olderThan: Date, limit = 500): Promise<string[]> {
    const rows = await this.db.faceExample.findMany({
      where: { state: { in: ["pending", "deleting"] }, updatedAt: { lt: olderThan } },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /** Test and repair helper: rewinds an example's clock (simulates an old crash). */
  async setUpdatedAt(id: string, at: Date): Promise<void> {
    await this.db.$executeRaw`UPDATE face_examples SET updated_at = ${at} WHERE id = ${id}::uuid`;
  }
}
