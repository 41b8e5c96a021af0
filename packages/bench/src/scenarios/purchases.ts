import { randomInt, randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import pg from "pg";
import { enrol, login, ok } from "../api.js";
import { pool } from "../db.js";
import { need, STORE } from "../env.js";
import type { Fixtures } from "../fixtures.js";
import { jsonHeaders, measure, type LoadResult, type LoadSettings } from "../load.js";
import type { Report, RunSettings } from "../report-types.js";

const section = "purchases";
const STOCK = 10_000_000;

interface BenchStore {
  id: string;
  items: string[];
}

/** A store with `itemCount` items, stocked through its own terminal (RSA login, as a terminal does). */
export async function stockedStore(fx: Fixtures, itemCount: number, stock: number): Promise<BenchStore> {
  const id = await fx.store(`Bench ${randomUUID().slice(0, 8)}`);
  const terminal = await login(await enrol("store", { store_id: id }));
  const items: string[] = [];
  for (let i = 0; i < itemCount; i++) {
    const item = await ok("POST", `${STORE}/store/item`, terminal, {
      name: `Item ${i}`,
      description: "",
      logo_url: "item.png",
      balance: stock,
      price_penny: 100 + i,
      category: "food",
    });
    items.push(item.id as string);
  }
  return { id, items };
}

/**
 * One purchase of one random item by a random passenger per request. The bodies are made up front and taken in
 * turn: the load generator shares the machine, and building a body per request (a UUID and JSON) cost it about
 * as much CPU as nginx spends on the request.
 */
export function purchaseRequest(fx: Fixtures, store: BenchStore): Request {
  const bodies = Array.from({ length: 4096 }, () =>
    JSON.stringify({
      user_id: randomUUID(),
      items: [{ item_id: store.items[randomInt(store.items.length)], count: 1 }],
      is_default_ready: false,
    }),
  );
  let next = 0;
  return {
    method: "POST",
    path: `/store_api/v1/robot/store/${store.id}/make_purchase`,
    headers: jsonHeaders(fx.robotToken),
    setupRequest: (req) => {
      req.body = bodies[next++ % bodies.length];
      return req;
    },
  };
}

/**
 * Zero oversell: every unit that left the stock is on a purchase line (stock + units sold == what was stocked)
 * and no balance is negative; every 200 answer has its purchase (purchases made by requests still in flight when
 * the load stopped count too, so there may be more purchases than 200 answers, never fewer). Throws otherwise.
 */
async function checkStock(
  db: pg.Pool,
  store: BenchStore,
  stocked: number,
  succeeded: number,
): Promise<string> {
  const { rows } = await db.query<{ balance: string; lowest: string; sold: string; purchases: string }>(
    `SELECT (SELECT sum(balance) FROM store_items WHERE store_id = $1::uuid) AS balance,
            (SELECT min(balance) FROM store_items WHERE store_id = $1::uuid) AS lowest,
            (SELECT coalesce(sum(pi.count), 0) FROM purchase_items pi JOIN purchases p ON p.id = pi.purchase_id
              WHERE p.store_id = $1::uuid) AS sold,
            (SELECT count(*) FROM purchases WHERE store_id = $1::uuid) AS purchases`,
    [store.id],
  );
  const balance = Number(rows[0]!.balance);
  const sold = Number(rows[0]!.sold);
  const purchases = Number(rows[0]!.purchases);
  const total = stocked * store.items.length;
  if (balance + sold !== total || Number(rows[0]!.lowest) < 0 || purchases < succeeded)
    throw new Error(
      `stock check failed for store ${store.id}: stocked ${total}, left ${balance}, sold ${sold}, ` +
        `${purchases} purchases for ${succeeded} answers 200`,
    );
  return `stock check: ${fmt(total - balance)} units left the stock = ${fmt(sold)} sold on ${fmt(purchases)} purchases (${fmt(succeeded)} answered 200 before the load stopped), none oversold`;
}

const fmt = (n: number) => n.toLocaleString("en");

/**
 * Purchases spread over 50 items and all on one hot item, then a drain of a small stock by many concurrent
 * buyers (exactly the stock must sell), then the spread shape again over 1k / 100k past purchases (bulk-inserted
 * copies of a real purchase, removed with the store).
 */
export async function purchaseScenarios(
  fx: Fixtures,
  run: RunSettings,
  settings: LoadSettings,
  report: Report,
): Promise<void> {
  const db = pool("STORE");
  fx.onCleanup(() => db.end());
  const url = `${STORE}/robot/store`;
  const succeeded = (r: LoadResult) => r.statuses["200"] ?? 0;

  // History first: a store whose past purchases are copies of one real purchase (with its line and task), and
  // fresh planner statistics. Measured on tables the bench (or anyone) has just emptied, Postgres plans the
  // foreign-key checks of each new line and task (`SELECT 1 FROM purchases WHERE id = $1`) as sequential scans:
  // the statistics still say "a few rows" over many pages, and every pool connection keeps that plan while the
  // table grows by thousands of rows a second, until autovacuum's next ANALYZE (up to a minute later). That is the
  // first minute of an emptied database, not a store's steady state, which is what these rows measure.
  const history = await storeWithHistory(fx, db, url);
  await history.growTo(run.purchaseSizes[0] ?? 1000);

  const spread = await stockedStore(fx, 50, STOCK);
  const spreadResult = await measure({ url, requests: [purchaseRequest(fx, spread)] }, settings);
  report({
    section,
    id: "spread",
    name: "purchases spread over 50 items",
    result: spreadResult,
    note: await checkStock(db, spread, STOCK, succeeded(spreadResult)),
  });

  const hot = await stockedStore(fx, 1, STOCK);
  const hotResult = await measure({ url, requests: [purchaseRequest(fx, hot)] }, settings);
  report({
    section,
    id: "hot",
    name: "purchases of one hot item",
    result: hotResult,
    note: await checkStock(db, hot, STOCK, succeeded(hotResult)),
  });
  // What one row can take at all: each sale must commit (and so wait for its WAL flush) before the next can lock
  // the row. Measured straight over SQL on another item of the same kind, with the service's pool size.
  const ceilingItem = await stockedStore(fx, 1, STOCK);
  const ceiling = await hotRowCeiling(ceilingItem.items[0]!, settings.duration);
  report({
    section,
    name: "ceiling: one guarded `UPDATE ... WHERE balance >= 1` + commit per sale on one row, straight SQL (10 connections, no HTTP)",
    result: ceiling,
    note: `the hot-item purchases above reached ${((hotResult.rps / ceiling.rps) * 100).toFixed(0)} % of this`,
  });

  // Drain: more buyers than units; exactly the stock sells, the rest is 400 "Not enough items".
  const units = run.short ? 200 : 1000;
  const drain = await stockedStore(fx, 1, units);
  const drainResult = await measure(
    { url, requests: [purchaseRequest(fx, drain)], amount: units + 10 * settings.connections },
    settings,
  );
  const sold = await db
    .query<{ n: string }>("SELECT count(*) AS n FROM purchases WHERE store_id = $1::uuid", [drain.id])
    .then((r) => Number(r.rows[0]!.n));
  const other = Object.entries(drainResult.statuses).filter(([s]) => s !== "200" && s !== "400");
  if (sold !== units || other.length > 0 || succeeded(drainResult) > units)
    throw new Error(`zero-oversell drain: ${units} units, answers ${JSON.stringify(drainResult.statuses)}`);
  report({
    section,
    id: "drain",
    name: `hot item drained: ${units} units, ${drainResult.requests} concurrent purchase attempts`,
    result: drainResult,
    note: `${await checkStock(db, drain, units, succeeded(drainResult))}; the rest 400 Not enough items`,
  });

  // Growth: the store with history (above) gets more past purchases, and the spread shape is measured again.
  for (const size of run.purchaseSizes) {
    await history.growTo(size);
    const before = await history.count();
    const result = await measure({ url, requests: [purchaseRequest(fx, history.store)] }, settings);
    report({
      section,
      name: `purchases spread over 50 items, ${before.toLocaleString("en")} past purchases in the store`,
      result,
    });
  }
}

/** A store with 50 items and N past purchases (bulk-inserted copies of a real one), statistics analysed after. */
export async function storeWithHistory(fx: Fixtures, db: pg.Pool, url: string) {
  const store = await stockedStore(fx, 50, STOCK);
  const first = await ok("POST", `${url}/${store.id}/make_purchase`, fx.robotToken, {
    user_id: randomUUID(),
    items: [{ item_id: store.items[0], count: 1 }],
    is_default_ready: false,
  });
  const count = () =>
    db
      .query<{ n: string }>("SELECT count(*) AS n FROM purchases WHERE store_id = $1::uuid", [store.id])
      .then((r) => Number(r.rows[0]!.n));
  let offset = 0;
  return {
    store,
    count,
    async growTo(size: number) {
      const past = await count();
      if (size <= past) return;
      const started = performance.now();
      await insertPastPurchases(db, first.id as string, size - past, offset);
      offset += size - past;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`  inserted ${size - past} past purchases in ${seconds} s`);
      await db.query(
        "ANALYZE purchases; ANALYZE purchase_items; ANALYZE tasks; ANALYZE idempotency_keys; ANALYZE store_items",
      );
    },
  };
}

/** Sales per second one row can take: 10 clients, each committing one guarded decrement at a time. */
async function hotRowCeiling(itemId: string, seconds: number): Promise<LoadResult> {
  const clients = new pg.Pool({ connectionString: need("STORE_DATABASE_URL"), max: 10 });
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (performance.now() < deadline) {
          const t0 = performance.now();
          await clients.query(
            "UPDATE store_items SET balance = balance - 1 WHERE id = $1::uuid AND balance >= 1",
            [itemId],
          );
          latencies.push(performance.now() - t0);
        }
      }),
    );
  } finally {
    await clients.end();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    requests: latencies.length,
    errors: 0,
    statuses: {},
    seconds,
  };
}

/** Copies of one purchase (new ids, new users, older dates) with its line and task, in three statements. */
async function insertPastPurchases(db: pg.Pool, templateId: string, count: number, offset: number) {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await client.query(
      `CREATE TEMP TABLE bench_ids ON COMMIT DROP AS
       SELECT g, gen_random_uuid() AS id, gen_random_uuid() AS user_id,
              now() - make_interval(secs => g) AS created_at
       FROM generate_series($1::int + 1, $1::int + $2::int) g`,
      [offset, count],
    );
    await client.query(
      `INSERT INTO purchases (id, store_id, user_id, total_penny, created_at)
       SELECT b.id, p.store_id, b.user_id, p.total_penny, b.created_at FROM bench_ids b, purchases p
       WHERE p.id = $1::uuid`,
      [templateId],
    );
    await client.query(
      `INSERT INTO purchase_items (id, purchase_id, position, item_id, name, count, price_penny)
       SELECT gen_random_uuid(), b.id, l.position, l.item_id, l.name, l.count, l.price_penny
       FROM bench_ids b, purchase_items l WHERE l.purchase_id = $1::uuid`,
      [templateId],
    );
    await client.query(
      `INSERT INTO tasks (id, store_id, user_id, purchase_id, is_ready, additional_data, created_at)
       SELECT gen_random_uuid(), t.store_id, b.user_id, b.id, true, t.additional_data, b.created_at
       FROM bench_ids b, tasks t WHERE t.purchase_id = $1::uuid`,
      [templateId],
    );
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK");
    throw err;
  } finally {
    client.release();
  }
}
