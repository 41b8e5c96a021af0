import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionStore, createLogger } from "@rail/common";
import { applyMigrations } from "@rail/common/prisma";
import { startPurchaseLoad, startThrowawayPostgres, type ThrowawayPostgres } from "@rail/common/testing";
import { buildApp } from "../src/app.js";
import { readConfig } from "../src/config.js";
import { createDb, type Db } from "../src/db.js";

const SERVICE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const API = "/store_api/v1";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Postgres stops and starts again under concurrent purchases (its own throwaway cluster, never the stack's). The
 * service must answer every request meanwhile (no hang), serve again within seconds of Postgres returning without
 * a restart, and no purchase may be lost or doubled: each purchaser retries with its Idempotency-Key until it gets
 * 200, so in the end stock, purchase rows and acknowledged purchases must agree exactly.
 */
describe("store survives a Postgres restart under load", () => {
  let cluster: ThrowawayPostgres;
  let db: Db;
  let redis: Redis;
  let baseUrl: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    cluster = await startThrowawayPostgres(["rail_store"]);
    await applyMigrations(SERVICE_DIR, cluster.url("rail_store"));
    const config = readConfig({ ...process.env, DATABASE_URL: cluster.url("rail_store"), PORT: "0" });
    db = createDb(config.DATABASE_URL);
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
    const sessions = new SessionStore(redis, config.SESSION_TTL_SECONDS);
    const app = buildApp({ config, db, redis, sessions, logger: createLogger("store-test", "silent") });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${API}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.$disconnect();
      redis.disconnect();
    };
  }, 120_000);
  afterAll(async () => {
    await close?.();
    cluster?.destroy();
  });

  const call = async (method: string, url: string, token: string, body?: unknown, key?: string) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(key ? { "idempotency-key": key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A hang is the failure this test is about: every answer must come well before nginx's 60 s.
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
  };

  it("answers throughout, recovers within seconds and neither loses nor doubles a purchase", async () => {
    const config = readConfig({ ...process.env, DATABASE_URL: cluster.url("rail_store"), PORT: "0" });
    const service = config.INTERNAL_SERVICE_TOKEN;
    const store = await call("POST", "/admin/store", service, {
      name: "Outage shop",
      description: "",
      logo_url: "x.png",
      store_type: "SHOP",
    });
    expect(store.status).toBe(200);
    const sessions = new SessionStore(redis, 3600);
    const terminal = await sessions.create("store", String(store.body.id));
    const robot = await sessions.create("robot", randomUUID());
    const STOCK = 100_000;
    const item = await call("POST", "/store/item", terminal, {
      name: "Tea",
      description: "",
      logo_url: "t.png",
      balance: STOCK,
      price_penny: 100,
      category: "drinks",
    });
    expect(item.status).toBe(200);

    // Like robots: each purchaser keeps its Idempotency-Key until the purchase is confirmed.
    const load = startPurchaseLoad({
      itemId: String(item.body.id),
      purchasers: 30,
      retryMs: 100,
      buy: (body, key) =>
        call("POST", `/robot/store/${String(store.body.id)}/make_purchase`, robot, body, key),
    });

    await sleep(1_500);
    cluster.stop();
    await sleep(3_000);
    cluster.start();
    const restartedAt = Date.now();
    let recoveredAfterMs = Infinity;
    while (Date.now() - restartedAt < 20_000) {
      const res = await call("GET", `/store/item/${String(item.body.id)}`, terminal);
      if (res.status === 200) {
        recoveredAfterMs = Date.now() - restartedAt;
        break;
      }
      await sleep(100);
    }
    await sleep(1_000);
    await load.stop();
    const { acknowledged, statuses } = load;

    expect(recoveredAfterMs).toBeLessThan(10_000);
    const [row] = await db.$queryRaw<{ purchases: number; balance: number }[]>`
      SELECT (SELECT count(*)::int FROM purchases) AS purchases,
             (SELECT balance::int FROM store_items WHERE id = ${String(item.body.id)}::uuid) AS balance`;
    expect(acknowledged.size).toBeGreaterThan(30);
    expect(row).toEqual({ purchases: acknowledged.size, balance: STOCK - acknowledged.size });

    // No connection was lost to the pool (10 by default): ten transactions can run side by side again. A leaked
    // connection leaves one of them waiting past maxWait.
    const held = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db.$transaction(async (tx) => tx.$queryRaw`SELECT 1 AS slept FROM pg_sleep(1.5)`, {
          maxWait: 1_000,
          timeout: 10_000,
        }),
      ),
    );
    expect(held.filter((r) => r.status === "rejected")).toEqual([]);
    const burst = await Promise.all(
      Array.from({ length: 25 }, () => call("GET", `/store/item/${String(item.body.id)}`, terminal)),
    );
    expect(burst.map((r) => r.status)).toEqual(burst.map(() => 200));
    // Meanwhile the outage was named: 503 "Database unavailable", never a 500.
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
  }, 90_000);
});
