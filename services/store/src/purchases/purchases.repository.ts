import type { Db } from "../db.js";
import { Prisma } from "../generated/prisma/client.js";
import { isContentionFailure, isForeignKeyViolation } from "../shared/prisma-errors.js";

export interface PurchaseLineRow {
  position: number;
  itemId: string;
  name: string;
  count: number;
  pricePenny: number;
}

export interface PurchaseRow {
  id: string;
  storeId: string;
  userId: string;
  totalPenny: bigint;
  createdAt: Date;
  lines: PurchaseLineRow[];
}

export interface UserPurchaseRow extends PurchaseRow {
  store: { name: string };
  task: { isReady: boolean; deliveredAt: Date | null } | null;
}

export interface NewPurchase {
  storeId: string;
  userId: string;
  /** Distinct items, in request order. */
  lines: { itemId: string; count: number }[];
  isReady: boolean;
  additionalData: Record<string, unknown>;
  trainNumber: number | null;
  idempotency?: { scope: string; key: string; requestHash: string; ttlSeconds: number };
}

export type PurchaseOutcome =
  | { kind: "created"; purchase: PurchaseRow }
  | { kind: "replay"; requestHash: string; purchaseId: string }
  | { kind: "store_missing" }
  | { kind: "items_missing" }
  | { kind: "insufficient_stock" }
  | { kind: "busy" };

type Failure = Extract<PurchaseOutcome, { kind: "store_missing" | "items_missing" | "insufficient_stock" }>;

/** Thrown inside the transaction to roll it back; never escapes the repository. */
class Rollback extends Error {
  constructor(readonly outcome: Failure) {
    super(outcome.kind);
  }
}

const LINES = { orderBy: { position: "asc" as const } };

// Hot items make purchases queue on one row lock; give them time instead of failing under a burst.
const TRANSACTION_OPTIONS = {
  maxWait: 15_000,
  timeout: 30_000,
  isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted,
};

export class PurchasesRepository {
  constructor(private readonly db: Db) {}

  /**
   * All-or-nothing purchase. Stock never goes below zero: each line is a guarded
   * `UPDATE ... SET balance = balance - n WHERE balance >= n` (and CHECK balance >= 0 backs it), rows are
   * locked in id order so overlapping purchases queue instead of deadlocking, and any failure rolls back
   * every decrement. With an idempotency key, a transaction-scoped advisory lock on the key serialises
   * retries of one request, so a retry waits for the first attempt and then replays it.
   */
  async create(input: NewPurchase): Promise<PurchaseOutcome> {
    try {
      return await this.db.$transaction(async (tx) => {
        const idem = input.idempotency;
        if (idem) {
          await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${`${idem.scope}\n${idem.key}`}, 0))`;
          await tx.$executeRaw`DELETE FROM idempotency_keys WHERE scope = ${idem.scope} AND key = ${idem.key}
            AND created_at < now() - make_interval(secs => ${idem.ttlSeconds})`;
          const existing = await tx.idempotencyKey.findUnique({
            where: { scope_key: { scope: idem.scope, key: idem.key } },
          });
          if (existing)
            return {
              kind: "replay",
              requestHash: existing.requestHash,
              purchaseId: existing.purchaseId,
            } as const;
        }

        const store = await tx.store.findUnique({ where: { id: input.storeId }, select: { id: true } });
        if (!store) throw new Rollback({ kind: "store_missing" });

        const ids = input.lines.map((l) => l.itemId).sort();
        const items = await tx.$queryRaw<{ id: string; name: string; price_penny: number }[]>`
          SELECT id::text AS id, name, price_penny FROM store_items
          WHERE store_id = ${input.storeId}::uuid AND id = ANY(${ids}::uuid[])
          ORDER BY id FOR UPDATE`;
        if (items.length !== ids.length) throw new Rollback({ kind: "items_missing" });
        const byId = new Map(items.map((i) => [i.id, i]));

        for (const id of ids) {
          const line = input.lines.find((l) => l.itemId === id)!;
          const { count } = await tx.storeItem.updateMany({
            where: { id, storeId: input.storeId, balance: { gte: line.count } },
            data: { balance: { decrement: line.count } },
          });
          if (count === 0) throw new Rollback({ kind: "insufficient_stock" });
        }

        const lines = input.lines.map((l, position) => {
          const item = byId.get(l.itemId)!;
          return {
            position,
            itemId: l.itemId,
            name: item.name,
            count: l.count,
            pricePenny: Number(item.price_penny),
          };
        });
        const total = lines.reduce((sum, l) => sum + BigInt(l.count) * BigInt(l.pricePenny), 0n);
        const purchase = await tx.purchase.create({
          data: {
            storeId: input.storeId,
            userId: input.userId,
            totalPenny: total,
            lines: { create: lines },
            task: {
              create: {
                storeId: input.storeId,
                userId: input.userId,
                isReady: input.isReady,
                readyAt: input.isReady ? new Date() : null,
                additionalData: input.additionalData as Prisma.InputJsonObject,
                trainNumber: input.trainNumber,
              },
            },
          },
          include: { lines: LINES },
        });
        if (idem) {
          await tx.idempotencyKey.create({
            data: {
              scope: idem.scope,
              key: idem.key,
              requestHash: idem.requestHash,
              purchaseId: purchase.id,
            },
          });
        }
        return { kind: "created", purchase } as const;
      }, TRANSACTION_OPTIONS);
    } catch (err) {
      if (err instanceof Rollback) return err.outcome;
      // Nothing was written; the caller may retry (with its Idempotency-Key, safely).
      if (isContentionFailure(err)) return { kind: "busy" };
      // The store was deleted between our check and the insert.
      if (isForeignKeyViolation(err)) return { kind: "store_missing" };
      throw err;
    }
  }

  findById(id: string): Promise<PurchaseRow | null> {
    return this.db.purchase.findUnique({ where: { id }, include: { lines: LINES } });
  }

  countByUser(userId: string): Promise<number> {
    return this.db.purchase.count({ where: { userId } });
  }

  listByUser(userId: string, window: { skip: number; take: number }): Promise<UserPurchaseRow[]> {
    return this.db.purchase.findMany({
      where: { userId },
      ...window,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: {
        lines: LINES,
        store: { select: { name: true } },
        task: { select: { isReady: true, deliveredAt: true } },
      },
    });
  }
}
