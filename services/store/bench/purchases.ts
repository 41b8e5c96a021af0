/**
 * Purchase throughput and latency of the store service over real Postgres and Redis, in two shapes:
 *   hot    every request buys the same item (all purchases queue on one row lock: the worst case on a train)
 *   spread requests buy one of 50 items at random (independent rows)
 * The app runs in-process on an ephemeral port over its own fresh database (as the tests do); requests go over
 * HTTP with bounded concurrency. Run: `scripts/stack up --infra`, then
 *   cd services/store && pnpm exec tsx bench/purchases.ts [requests=2000] [concurrency=20]
 * Bounded in count, loopback only; prints one line per shape.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { loadStackEnv } from "@rail/common/testing";

Object.assign(process.env, { ...loadStackEnv(), ...process.env, LOG_LEVEL: "silent", NODE_ENV: "test" });
const { createTestContext } = await import("../test/fixtures.js");

const REQUESTS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = Number(process.argv[3] ?? 20);

const ctx = await createTestContext();
const server = ctx.app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/store_api/v1`;

async function call(path: string, token: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function setUp(itemCount: number) {
  const store = await call("/admin/store", ctx.config.INTERNAL_SERVICE_TOKEN, {
    name: `Bench ${randomUUID().slice(0, 8)}`,
    description: "benchmark",
    logo_url: "bench.png",
    store_type: "SHOP",
  });
  const storeId = store.body.id as string;
  const terminal = await ctx.sessions.create("store", storeId);
  const items: string[] = [];
  for (let i = 0; i < itemCount; i++) {
    const item = await call("/store/item", terminal, {
      name: `Item ${i}`,
      description: "",
      logo_url: "item.png",
      balance: 1_000_000,
      price_penny: 100,
      category: "food",
    });
    items.push(item.body.id as string);
  }
  return { storeId, items };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function run(shape: "hot" | "spread") {
  const { storeId, items } = await setUp(shape === "hot" ? 1 : 50);
  const robot = await ctx.sessions.create("robot", randomUUID());
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const itemId = items[Math.floor(Math.random() * items.length)]!;
        const t0 = performance.now();
        const res = await call(`/robot/store/${storeId}/make_purchase`, robot, {
          user_id: randomUUID(),
          items: [{ item_id: itemId, count: 1 }],
          is_default_ready: false,
        });
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures.set(res.status, (failures.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${shape.padEnd(6)} ${REQUESTS} purchases, concurrency ${CONCURRENCY}: ${(REQUESTS / seconds).toFixed(0)}/s, ` +
      `p50 ${ms(percentile(latencies, 0.5))}, p95 ${ms(percentile(latencies, 0.95))}, ` +
      `p99 ${ms(percentile(latencies, 0.99))}, non-200: ${JSON.stringify(Object.fromEntries(failures))}`,
  );
}

try {
  await run("hot");
  await run("spread");
} finally {
  server.close();
  await ctx.close();
}
