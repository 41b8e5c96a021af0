import { isContentionFailure, isForeignKeyViolation } from "@rail/common";
import type { Db } from "../db.js";

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

/** What a store sells, as the service prices a purchase from it. */
export interface CatalogueItem {
  id: string;
  name: string;
  pricePenny: number;
}

export interface IdempotencyScope {
  scope: string;
  key: string;
}

/** A purchase the service has priced: lines with names and unit prices, the total and the task to create. */
export interface NewPurchase {
  storeId: string;
  userId: string;
  /** Distinct items, in request order (`position` 0, 1, ...). */
  lines: PurchaseLineRow[];
  totalPenny: bigint;
  task: {
    isReady: boolean;
    readyAt: Date | null;
    additionalData: Record<string, unknown>;
    trainNumber: number | null;
  };
  idempotency?: IdempotencyScope & { requestHash: string; ttlSeconds: number };
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

// Hot items make purchases queue on one row lock; give them time instead of failing under a burst. The isolation
// level is Postgres's default, READ COMMITTED (the guarded UPDATE re-checks the newest row version); naming it
// would cost one more round trip per purchase (SET TRANSACTION).
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

export class PurchasesRepository {
  constructor(private readonly db: Db) {}

  /** The store's items among `ids` (no lock: prices are read as of now, stock is decided by `create`). */
  async catalogue(storeId: string, ids: string[]): Promise<CatalogueItem[]> {
    const rows = await this.db.$queryRaw<{ id: string; name: string; price_penny: number }[]>`
      SELECT id::text AS id, name, price_penny FROM store_items
      WHERE store_id = ${storeId}::uuid AND id = ANY(${ids}::uuid[])`;
    return rows.map((r) => ({ id: r.id, name: r.name, pricePenny: Number(r.price_penny) }));
  }

  async storeExists(storeId: string): Promise<boolean> {
    return (await this.db.store.count({ where: { id: storeId } })) > 0;
  }

  /** A key still within its time to live, and what it produced. */
  async findIdempotent(
    idem: IdempotencyScope,
    ttlSeconds: number,
  ): Promise<{ requestHash: string; purchaseId: string } | null> {
    return this.db.idempotencyKey.findFirst({
      where: {
        scope: idem.scope,
        key: idem.key,
        createdAt: { gte: new Date(Date.now() - ttlSeconds * 1000) },
      },
      select: { requestHash: true, purchaseId: true },
    });
  }

  /**
   * All-or-nothing purchase in one transaction. The purchase, its lines, its task and the idempotency key are
   * written first; the stock decrement comes last, as one guarded `UPDATE ... SET balance = balance - n WHERE
   * balance >= n` over every line (rows locked in id order, so overlapping purchases queue instead of
   * deadlocking; CHECK balance >= 0 backs it). A hot item's row lock is therefore held only for that statement
   * and the commit. When any line is short, everything rolls back. With an idempotency key, a
   * transaction-scoped advisory lock on the key serialises retries of one request, so a retry waits for the
   * first attempt and then replays it.
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

        const ids = input.lines.map((l) => l.itemId);
        const [row] = await tx.$queryRaw<{ id: string; created_at: Date; decremented: number }[]>`
          WITH purchase AS (
            INSERT INTO purchases (id, store_id, user_id, total_penny)
            VALUES (gen_random_uuid(), ${input.storeId}::uuid, ${input.userId}::uuid, ${input.totalPenny})
            RETURNING id, created_at
          ), line AS (
            INSERT INTO purchase_items (id, purchase_id, position, item_id, name, count, price_penny)
            SELECT gen_random_uuid(), purchase.id, l.position, l.item_id, l.name, l.count, l.price_penny
            FROM purchase, unnest(${input.lines.map((l) => l.position)}::int[], ${ids}::uuid[],
              ${input.lines.map((l) => l.name)}::text[], ${input.lines.map((l) => l.count)}::int[],
              ${input.lines.map((l) => l.pricePenny)}::int[]) AS l(position, item_id, name, count, price_penny)
          ), task AS (
            INSERT INTO tasks (id, store_id, user_id, purchase_id, is_ready, additional_data, train_number, ready_at)
            SELECT gen_random_uuid(), ${input.storeId}::uuid, ${input.userId}::uuid, purchase.id,
              ${input.task.isReady}, ${JSON.stringify(input.task.additionalData)}::jsonb,
              ${input.task.trainNumber}::int, ${input.task.readyAt}::timestamptz
            FROM purchase
          ), key AS (
            INSERT INTO idempotency_keys (scope, key, request_hash, purchase_id)
            SELECT ${idem?.scope ?? ""}, ${idem?.key ?? ""}, ${idem?.requestHash ?? ""}, purchase.id
            FROM purchase WHERE ${idem !== undefined}
          ), locked AS (
            SELECT id FROM store_items
            WHERE store_id = ${input.storeId}::uuid AND id = ANY(${ids}::uuid[])
            ORDER BY id FOR UPDATE
          ), decrement AS (
            UPDATE store_items s SET balance = s.balance - l.count
            FROM locked, unnest(${ids}::uuid[], ${input.lines.map((l) => l.count)}::int[]) AS l(item_id, count)
            WHERE s.id = locked.id AND s.id = l.item_id AND s.balance >= l.count
            RETURNING s.id
          )
          SELECT purchase.id::text AS id, purchase.created_at, (SELECT count(*)::int FROM decrement) AS decremented
          FROM purchase`;
        if (!row) throw new Error("purchase insert returned no row");
        if (Number(row.decremented) !== ids.length) {
          const [found] = await tx.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM store_items WHERE store_id = ${input.storeId}::uuid AND id = ANY(${ids}::uuid[])`;
          throw new Rollback({
            kind: Number(found?.n) === ids.length ? "insufficient_stock" : "items_missing",
          });
        }
        const purchase: PurchaseRow = {
          id: row.id,
          storeId: input.storeId,
          userId: input.userId,
          totalPenny: input.totalPenny,
          createdAt: row.created_at,
          lines: input.lines,
        };
        return { kind: "created", purchase } as const;
      }, TRANSACTION_OPTIONS);
    } catch (err) {
      if (err instanceof Rollback) return err.outcome;
      // Nothing was written; the caller may retry (with its Idempotency-Key, safely).
      if (isContentionFailure(err)) return { kind: "busy" };
      // The store was deleted between the price lookup and the insert.
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
