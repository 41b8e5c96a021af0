import { isContentionFailure, isForeignKeyViolation, isUniqueViolation, postgresError } from "@rail/common";
import type { Db } from "../db.js";
import type { TaskRow } from "../tasks/tasks.repository.js";

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

export interface IdempotencyScope {
  scope: string;
  key: string;
}

/** A purchase to write: distinct items in request order (`position` 0, 1, ...) and the task to create. */
export interface NewPurchase {
  storeId: string;
  userId: string;
  lines: { position: number; itemId: string; count: number }[];
  task: {
    isReady: boolean;
    readyAt: Date | null;
    additionalData: Record<string, unknown>;
    trainNumber: number | null;
  };
  idempotency?: IdempotencyScope & { requestHash: string; ttlSeconds: number };
}

export type PurchaseOutcome =
  | { kind: "created"; purchase: PurchaseRow; task: TaskRow }
  | { kind: "replay"; requestHash: string; purchaseId: string }
  | { kind: "store_missing" }
  | { kind: "items_missing" }
  | { kind: "insufficient_stock" }
  | { kind: "busy" };

const KEY_CONSTRAINT = "idempotency_keys_pkey";
const LINES = { orderBy: { position: "asc" as const } };

export class PurchasesRepository {
  constructor(private readonly db: Db) {}

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
   * All-or-nothing purchase as ONE SQL statement (its own transaction, one round trip): every line's stock is
   * decremented on rows locked in id order (overlapping purchases queue instead of deadlocking), and each line
   * takes the item's name and unit price from the row it decremented, so the price paid is the price at the
   * moment of sale, with no earlier read; then the purchase (total = sum of count x unit price), its lines, its
   * task and the idempotency key are inserted. The stock guard is `CHECK (balance >= 0)`: a line that would go
   * below zero fails the statement, so nothing of the purchase is written; an item that is missing (or another
   * store's) fails it too (a deliberate division by zero when fewer rows were decremented than lines). A hot
   * item's row lock is held only while this statement runs and commits.
   *
   * Idempotency needs no lock: the key is inserted in the same statement, so a concurrent retry of the same
   * request waits on the key's unique index until the first attempt ends, then fails on it (or, if the first
   * attempt failed, goes ahead). Whoever fails on an existing key — or on stock a first attempt already took —
   * replays the first result. A key past its time to live is deleted and the purchase tried once more.
   */
  async create(input: NewPurchase): Promise<PurchaseOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { kind: "created", ...(await this.insert(input)) };
      } catch (err) {
        const idem = input.idempotency;
        const pg = postgresError(err) ?? { code: undefined, message: "" };
        const keyTaken =
          isUniqueViolation(err) || (pg.code === "23505" && pg.message.includes(KEY_CONSTRAINT));
        if (idem && (keyTaken || ["23514", "22012", "23503"].includes(pg.code ?? ""))) {
          const earlier = await this.findIdempotent(idem, idem.ttlSeconds);
          if (earlier) return { kind: "replay", ...earlier };
          if (keyTaken && attempt === 0) {
            await this.db.$executeRaw`DELETE FROM idempotency_keys WHERE scope = ${idem.scope}
              AND key = ${idem.key} AND created_at < now() - make_interval(secs => ${idem.ttlSeconds})`;
            continue;
          }
        }
        if (pg.code === "23514" && pg.message.includes("store_items")) return { kind: "insufficient_stock" };
        // Fewer rows decremented than lines: an item is gone, or the whole store (checked before the foreign key).
        if (pg.code === "22012")
          return { kind: (await this.storeExists(input.storeId)) ? "items_missing" : "store_missing" };
        // The store was deleted between the price lookup and the insert.
        if (pg.code === "23503" || isForeignKeyViolation(err)) return { kind: "store_missing" };
        // Nothing was written; the caller may retry (with its Idempotency-Key, safely).
        if (isContentionFailure(err) || pg.code === "40P01" || pg.code === "40001") return { kind: "busy" };
        throw err;
      }
    }
  }

  private async insert(input: NewPurchase): Promise<{ purchase: PurchaseRow; task: TaskRow }> {
    const idem = input.idempotency;
    const ids = input.lines.map((l) => l.itemId);
    const rows = await this.db.$queryRaw<
      {
        id: string;
        created_at: Date;
        total_penny: bigint;
        task_id: string;
        item_id: string;
        name: string;
        price_penny: number;
      }[]
    >`
      WITH locked AS (
        SELECT id FROM store_items
        WHERE store_id = ${input.storeId}::uuid AND id = ANY(${ids}::uuid[])
        ORDER BY id FOR UPDATE
      ), decrement AS (
        UPDATE store_items s SET balance = s.balance - l.count
        FROM locked, unnest(${ids}::uuid[], ${input.lines.map((l) => l.count)}::int[],
          ${input.lines.map((l) => l.position)}::int[]) AS l(item_id, count, position)
        WHERE s.id = locked.id AND s.id = l.item_id
        RETURNING s.id, s.name, s.price_penny, l.count, l.position
      ), purchase AS (
        INSERT INTO purchases (id, store_id, user_id, total_penny)
        SELECT gen_random_uuid(), ${input.storeId}::uuid, ${input.userId}::uuid,
          sum(d.count::bigint * d.price_penny)
        FROM decrement d
        HAVING 1 / (count(*) = ${ids.length})::int = 1
        RETURNING id, created_at, total_penny
      ), line AS (
        INSERT INTO purchase_items (id, purchase_id, position, item_id, name, count, price_penny)
        SELECT gen_random_uuid(), purchase.id, d.position, d.id, d.name, d.count, d.price_penny
        FROM purchase, decrement d
      ), task AS (
        INSERT INTO tasks (id, store_id, user_id, purchase_id, is_ready, additional_data, train_number, ready_at)
        SELECT gen_random_uuid(), ${input.storeId}::uuid, ${input.userId}::uuid, purchase.id,
          ${input.task.isReady}, ${JSON.stringify(input.task.additionalData)}::jsonb,
          ${input.task.trainNumber}::int, ${input.task.readyAt}::timestamptz
        FROM purchase
        RETURNING id
      ), key AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, purchase_id)
        SELECT ${idem?.scope ?? ""}, ${idem?.key ?? ""}, ${idem?.requestHash ?? ""}, purchase.id
        FROM purchase WHERE ${idem !== undefined}
      )
      SELECT purchase.id::text AS id, purchase.created_at, purchase.total_penny, task.id::text AS task_id,
        d.id::text AS item_id, d.name, d.price_penny
      FROM purchase, task, decrement d
      ORDER BY d.position`;
    const first = rows[0];
    if (!first) throw new Error("purchase insert returned no row");
    const prices = new Map(rows.map((r) => [r.item_id, r]));
    const purchase: PurchaseRow = {
      id: first.id,
      storeId: input.storeId,
      userId: input.userId,
      totalPenny: BigInt(first.total_penny),
      createdAt: first.created_at,
      lines: input.lines.map((l) => {
        const row = prices.get(l.itemId)!;
        return { ...l, name: row.name, pricePenny: Number(row.price_penny) };
      }),
    };
    // Everything the task's answer and its live event need is known here: no second read.
    const task: TaskRow = {
      id: first.task_id,
      storeId: input.storeId,
      userId: input.userId,
      isReady: input.task.isReady,
      additionalData: input.task.additionalData as TaskRow["additionalData"],
      trainNumber: input.task.trainNumber,
      createdAt: first.created_at,
      readyAt: input.task.readyAt,
      deliveredAt: null,
      purchase,
    };
    return { purchase, task };
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
