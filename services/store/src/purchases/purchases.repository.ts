import { isContentionFailure, isForeignKeyViolation, isUniqueViolation, postgresError } from "@rail/common";
import { PgQueryError, preparedQuery } from "@rail/common/prisma";
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

/**
 * Purchase statements one repository runs at once (below the pool's 10 connections, so other routes keep theirs).
 * Purchases that arrive while they all run wait, and then go together as ONE statement (`insertBatch`): one round
 * trip, one commit and one lock of each hot row for up to `MAX_BATCH` sales instead of one each. An idle store
 * runs every purchase at once on its own, as before.
 */
export const PURCHASE_STATEMENTS_IN_FLIGHT = 4;
const MAX_BATCH = 32;

interface Queued {
  input: NewPurchase;
  resolve: (outcome: PurchaseOutcome) => void;
  reject: (err: unknown) => void;
}

/** The batch statement's answer: one row per line of each purchase it made. */
interface BatchRow {
  ord: number;
  purchase_id: string;
  task_id: string;
  created_at: Date;
  /** int8, as pg returns it (text). */
  total_penny: string;
  item_id: string;
  name: string;
  price_penny: number;
}

const LINES = { orderBy: { position: "asc" as const } };

/**
 * One purchase (see `PurchasesRepository.create`); parameters in the order `insert` passes them. Exported for the
 * bench's framework ceiling (packages/bench/src/bare-hot-paths.ts), which runs the same statement from bare Express.
 */
export const PURCHASE_SQL = `
  WITH locked AS (
    SELECT id FROM store_items WHERE store_id = $1::uuid AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE
  ), decrement AS (
    UPDATE store_items s SET balance = s.balance - l.count
    FROM locked, unnest($2::uuid[], $3::int[], $4::int[]) AS l(item_id, count, position)
    WHERE s.id = locked.id AND s.id = l.item_id
    RETURNING s.id, s.name, s.price_penny, l.count, l.position
  ), purchase AS (
    INSERT INTO purchases (id, store_id, user_id, total_penny)
    SELECT gen_random_uuid(), $1::uuid, $5::uuid, sum(d.count::bigint * d.price_penny)
    FROM decrement d
    HAVING 1 / (count(*) = $14::int)::int = 1
    RETURNING id, created_at, total_penny
  ), line AS (
    INSERT INTO purchase_items (id, purchase_id, position, item_id, name, count, price_penny)
    SELECT gen_random_uuid(), purchase.id, d.position, d.id, d.name, d.count, d.price_penny
    FROM purchase, decrement d
  ), task AS (
    INSERT INTO tasks (id, store_id, user_id, purchase_id, is_ready, additional_data, train_number, ready_at)
    SELECT gen_random_uuid(), $1::uuid, $5::uuid, purchase.id, $6::bool, $7::jsonb, $8::int, $9::timestamptz
    FROM purchase
    RETURNING id
  ), key AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, purchase_id)
    SELECT $10::text, $11::text, $12::text, purchase.id FROM purchase WHERE $13::bool
  )
  SELECT purchase.id::text AS id, purchase.created_at, purchase.total_penny, task.id::text AS task_id,
    d.id::text AS item_id, d.name, d.price_penny
  FROM purchase, task, decrement d
  ORDER BY d.position`;

/** Several purchases (see `insertBatch`); parameters in the order `insertBatch` passes them. */
const PURCHASE_BATCH_SQL = `
  WITH p AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bool[], $4::timestamptz[], $5::jsonb[], $6::int[],
      $7::text[], $8::text[], $9::text[])
      WITH ORDINALITY AS p(store_id, user_id, is_ready, ready_at, data, train_number, scope, key, hash, ord)
  ), l AS (
    SELECT * FROM unnest($10::int[], $11::uuid[], $12::int[], $13::int[]) AS l(ord, item_id, count, position)
  ), locked AS (
    SELECT s.id, s.store_id, s.name, s.price_penny, s.balance FROM store_items s
    WHERE s.id = ANY($11::uuid[])
    ORDER BY s.id FOR UPDATE
  ), demand AS (
    SELECT l.ord, l.item_id, l.count, l.position, k.name, k.price_penny,
      coalesce(k.store_id = p.store_id
        AND sum(l.count) OVER (PARTITION BY l.item_id ORDER BY l.ord) <= k.balance, false) AS fits
    FROM l JOIN p USING (ord) LEFT JOIN locked k ON k.id = l.item_id
  ), ok AS (
    SELECT p.*, gen_random_uuid() AS purchase_id, gen_random_uuid() AS task_id FROM p
    WHERE (SELECT bool_and(d.fits) FROM demand d WHERE d.ord = p.ord)
      AND NOT EXISTS (SELECT 1 FROM idempotency_keys i WHERE i.scope = p.scope AND i.key = p.key)
  ), sold AS (
    SELECT d.*, ok.purchase_id FROM demand d JOIN ok USING (ord)
  ), decrement AS (
    UPDATE store_items s SET balance = s.balance - t.total
    FROM (SELECT item_id, sum(count) AS total FROM sold GROUP BY item_id) t
    WHERE s.id = t.item_id
  ), purchase AS (
    INSERT INTO purchases (id, store_id, user_id, total_penny)
    SELECT ok.purchase_id, ok.store_id, ok.user_id,
      (SELECT sum(s.count::bigint * s.price_penny) FROM sold s WHERE s.ord = ok.ord)
    FROM ok
    RETURNING id, created_at, total_penny
  ), line AS (
    INSERT INTO purchase_items (id, purchase_id, position, item_id, name, count, price_penny)
    SELECT gen_random_uuid(), s.purchase_id, s.position, s.item_id, s.name, s.count, s.price_penny FROM sold s
  ), task AS (
    INSERT INTO tasks (id, store_id, user_id, purchase_id, is_ready, additional_data, train_number, ready_at)
    SELECT ok.task_id, ok.store_id, ok.user_id, ok.purchase_id, ok.is_ready, ok.data, ok.train_number, ok.ready_at
    FROM ok
  ), key AS (
    INSERT INTO idempotency_keys (scope, key, request_hash, purchase_id)
    SELECT ok.scope, ok.key, ok.hash, ok.purchase_id FROM ok WHERE ok.key IS NOT NULL
  )
  SELECT s.ord::int AS ord, s.purchase_id::text AS purchase_id, ok.task_id::text AS task_id,
    purchase.created_at, purchase.total_penny, s.item_id::text AS item_id, s.name, s.price_penny
  FROM sold s JOIN ok USING (ord) JOIN purchase ON purchase.id = s.purchase_id
  ORDER BY s.ord, s.position`;

export class PurchasesRepository {
  private readonly queue: Queued[] = [];
  private inFlight = 0;
  /** Idempotency keys of the purchases being written now: their retries wait, then replay. */
  private readonly keysInFlight = new Set<string>();

  // The robot's purchase runs these for every sale: prepared statements on the pool, not Prisma (src/db.ts).
  private readonly purchaseOne;
  private readonly purchaseBatch;

  constructor(private readonly db: Db) {
    this.purchaseOne = preparedQuery<Omit<BatchRow, "ord" | "purchase_id"> & { id: string }, unknown[]>(
      db.$pg,
      "store_purchase",
      PURCHASE_SQL,
    );
    this.purchaseBatch = preparedQuery<BatchRow, unknown[]>(
      db.$pg,
      "store_purchase_batch",
      PURCHASE_BATCH_SQL,
    );
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
   *
   * Under load the purchase may be written together with others (`run`, `insertBatch`); its outcome is the same.
   */
  create(input: NewPurchase): Promise<PurchaseOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < PURCHASE_STATEMENTS_IN_FLIGHT && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const keys = batch.map((q) => keyOf(q.input)).filter((k) => k !== undefined);
      for (const key of keys) this.keysInFlight.add(key);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        for (const key of keys) this.keysInFlight.delete(key);
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /**
   * The oldest waiting purchases, at most one per idempotency key and none whose key is being written now (a
   * retry waits for the first attempt and then replays it, instead of failing a batch on the key's index).
   */
  private takeBatch(): Queued[] {
    const batch: Queued[] = [];
    const keys = new Set(this.keysInFlight);
    for (let i = 0; i < this.queue.length && batch.length < MAX_BATCH;) {
      const key = keyOf(this.queue[i]!.input);
      if (key !== undefined && keys.has(key)) {
        i += 1;
        continue;
      }
      if (key !== undefined) keys.add(key);
      batch.push(this.queue.splice(i, 1)[0]!);
    }
    return batch;
  }

  /**
   * Runs purchases together; whatever the batch statement did not make — an outcome other than a sale, or all
   * of them when Postgres refused it — is decided by the single-purchase statement, purchase by purchase, so every
   * refusal, replay and error answer comes from the one proven path.
   */
  private async run(batch: Queued[]): Promise<void> {
    let made = new Map<number, { purchase: PurchaseRow; task: TaskRow }>();
    if (batch.length > 1) {
      try {
        made = await this.insertBatch(batch.map((q) => q.input));
      } catch (err) {
        // Without Postgres's answer (connection lost, client-side timeout) the batch may have committed: trying
        // its purchases again could sell twice, so each gets the error, as a lone purchase would (503).
        if (sqlError(err).code === undefined) {
          for (const q of batch) q.reject(err);
          return;
        }
        // Postgres refused the statement, so nothing of the batch was written: each purchase is tried alone below.
      }
    }
    await Promise.all(
      batch.map(async (q, i) => {
        const done = made.get(i);
        if (done) return q.resolve({ kind: "created", ...done });
        try {
          q.resolve(await this.createOne(q.input));
        } catch (err) {
          q.reject(err);
        }
      }),
    );
  }

  private async createOne(input: NewPurchase): Promise<PurchaseOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { kind: "created", ...(await this.insert(input)) };
      } catch (err) {
        const idem = input.idempotency;
        const pg = sqlError(err);
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
    const rows = await this.purchaseOne(
      input.storeId,
      ids,
      input.lines.map((l) => l.count),
      input.lines.map((l) => l.position),
      input.userId,
      input.task.isReady,
      JSON.stringify(input.task.additionalData),
      input.task.trainNumber,
      input.task.readyAt,
      idem?.scope ?? "",
      idem?.key ?? "",
      idem?.requestHash ?? "",
      idem !== undefined,
      ids.length,
    );
    const first = rows[0];
    if (!first) throw new Error("purchase insert returned no row");
    return written(input, { ...first, lines: rows });
  }

  /**
   * Several purchases as ONE statement: the items of all of them are locked in id order, then each purchase is
   * made only if every line's item belongs to its store and the item's stock covers the line together with the
   * same item's lines of all earlier purchases in the batch (made or not, so the check never undercounts); the
   * purchases made are written exactly as `insert` writes one, their stock decremented once per item, and
   * `CHECK (balance >= 0)` still guards it. A purchase whose Idempotency-Key exists is not made here. Returns the
   * purchases made by their index in `inputs`; the caller settles the others one by one. A failure of any kind
   * (e.g. a concurrent retry's key, a deleted store) writes nothing and throws.
   */
  private async insertBatch(
    inputs: NewPurchase[],
  ): Promise<Map<number, { purchase: PurchaseRow; task: TaskRow }>> {
    const lines = inputs.flatMap((input, i) => input.lines.map((line) => ({ ord: i + 1, ...line })));
    const column = <T>(pick: (input: NewPurchase) => T) => inputs.map(pick);
    const rows = await this.purchaseBatch(
      column((i) => i.storeId),
      column((i) => i.userId),
      column((i) => i.task.isReady),
      column((i) => i.task.readyAt),
      column((i) => JSON.stringify(i.task.additionalData)),
      column((i) => i.task.trainNumber),
      column((i) => i.idempotency?.scope ?? null),
      column((i) => i.idempotency?.key ?? null),
      column((i) => i.idempotency?.requestHash ?? null),
      lines.map((l) => l.ord),
      lines.map((l) => l.itemId),
      lines.map((l) => l.count),
      lines.map((l) => l.position),
    );
    const byPurchase = new Map<number, BatchRow[]>();
    for (const row of rows) byPurchase.set(row.ord - 1, [...(byPurchase.get(row.ord - 1) ?? []), row]);
    const made = new Map<number, { purchase: PurchaseRow; task: TaskRow }>();
    for (const [i, purchaseRows] of byPurchase) {
      const first = purchaseRows[0]!;
      made.set(i, written(inputs[i]!, { ...first, id: first.purchase_id, lines: purchaseRows }));
    }
    return made;
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

/** SQLSTATE and message of a failed statement, sent through Prisma or as a prepared query on the pool. */
function sqlError(err: unknown): { code?: string | undefined; message: string } {
  const viaPrisma = postgresError(err);
  if (viaPrisma) return viaPrisma;
  const cause =
    err instanceof PgQueryError ? (err.cause as { code?: unknown; message?: unknown }) : undefined;
  return typeof cause?.code === "string"
    ? { code: cause.code, message: String(cause.message) }
    : { code: undefined, message: "" };
}

const keyOf = (input: NewPurchase) =>
  input.idempotency && `${input.idempotency.scope}\n${input.idempotency.key}`;

/** The purchase and its task as written: the request's lines with the names and unit prices the rows had. */
function written(
  input: NewPurchase,
  row: {
    id: string;
    task_id: string;
    created_at: Date;
    total_penny: string;
    lines: { item_id: string; name: string; price_penny: number }[];
  },
): { purchase: PurchaseRow; task: TaskRow } {
  const prices = new Map(row.lines.map((l) => [l.item_id, l]));
  const purchase: PurchaseRow = {
    id: row.id,
    storeId: input.storeId,
    userId: input.userId,
    totalPenny: BigInt(row.total_penny),
    createdAt: row.created_at,
    lines: input.lines.map((l) => {
      const priced = prices.get(l.itemId)!;
      return { ...l, name: priced.name, pricePenny: Number(priced.price_penny) };
    }),
  };
  // Everything the task's answer and its live event need is known here: no second read.
  const task: TaskRow = {
    id: row.task_id,
    storeId: input.storeId,
    userId: input.userId,
    isReady: input.task.isReady,
    additionalData: input.task.additionalData as TaskRow["additionalData"],
    trainNumber: input.task.trainNumber,
    createdAt: row.created_at,
    readyAt: input.task.readyAt,
    deliveredAt: null,
    purchase,
  };
  return { purchase, task };
}
