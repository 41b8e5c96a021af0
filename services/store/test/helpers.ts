import { randomUUID } from "node:crypto";
import request from "supertest";
import { ALL_PRIVILEGES } from "@rail/common";
import { createDb } from "../src/db.js";
import type { TestContext } from "./fixtures.js";

export const API = "/store_api/v1";
export const bearer = (token: string) => `Bearer ${token}`;

/** Sessions as the base service would create them in the shared Redis. */
export const robotToken = (ctx: TestContext, robotId: string = randomUUID()) =>
  ctx.sessions.create("robot", robotId);
export const terminalToken = (ctx: TestContext, storeId: string) => ctx.sessions.create("store", storeId);
export const engineerToken = (ctx: TestContext, privileges = ALL_PRIVILEGES) =>
  ctx.sessions.create("engineer", randomUUID(), { privileges });
export const serviceToken = (ctx: TestContext) => ctx.config.INTERNAL_SERVICE_TOKEN;

export interface StoreBody {
  name?: string;
  description?: string;
  logo_url?: string;
  store_type?: "SHOP" | "RESTAURANT";
}

export async function createStore(
  ctx: TestContext,
  body: StoreBody = {},
): Promise<{ id: string; name: string }> {
  const res = await request(ctx.app)
    .post(`${API}/admin/store`)
    .set("Authorization", bearer(serviceToken(ctx)))
    .send({
      name: body.name ?? `Store ${randomUUID().slice(0, 8)}`,
      description: body.description ?? "Coffee and souvenirs",
      logo_url: body.logo_url ?? "/static/logos/stores/1.png",
      store_type: body.store_type ?? "SHOP",
    });
  if (res.status !== 200) throw new Error(`createStore: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export interface ItemBody {
  name?: string;
  description?: string;
  logo_url?: string;
  balance?: number;
  price_penny?: number;
  category?: string;
}

export const itemBody = (body: ItemBody = {}) => ({
  name: body.name ?? `Item ${randomUUID().slice(0, 8)}`,
  description: body.description ?? "Tasty",
  logo_url: body.logo_url ?? "item.jpg",
  balance: body.balance ?? 10,
  price_penny: body.price_penny ?? 15000,
  category: body.category ?? "food",
});

export async function createItem(ctx: TestContext, storeToken: string, body: ItemBody = {}) {
  const res = await request(ctx.app)
    .post(`${API}/store/item`)
    .set("Authorization", bearer(storeToken))
    .send(itemBody(body));
  if (res.status !== 200) throw new Error(`createItem: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string; balance: number; price_penny: number };
}

/** A store with a terminal session, ready for item and purchase tests. */
export async function storeWithTerminal(ctx: TestContext, body: StoreBody = {}) {
  const store = await createStore(ctx, body);
  return { store, token: await terminalToken(ctx, store.id) };
}

export async function itemBalance(ctx: TestContext, storeToken: string, itemId: string): Promise<number> {
  const res = await request(ctx.app)
    .get(`${API}/store/item/${itemId}`)
    .set("Authorization", bearer(storeToken));
  if (res.status !== 200) throw new Error(`itemBalance: ${res.status}`);
  return res.body.balance;
}

/**
 * Makes a race deterministic: holds the item's row lock (over its own connections, not the app's pool), fires
 * the requests, waits until `waiters` database sessions are blocked on locks, so they really overlap, then
 * releases the lock and returns the responses.
 */
export async function raceOnLockedItem<T>(
  ctx: TestContext,
  itemId: string,
  waiters: number,
  fire: () => Promise<T>,
): Promise<T> {
  const observer = createDb(ctx.database.url);
  let pending!: Promise<T>;
  try {
    await observer.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT 1 AS locked FROM store_items WHERE id = ${itemId}::uuid FOR UPDATE`;
        pending = fire();
        for (let attempt = 0; ; attempt++) {
          const [row] = await observer.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
          if ((row?.n ?? 0) >= waiters) break;
          if (attempt > 1000) throw new Error(`only ${row?.n} of ${waiters} requests reached the lock`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  } finally {
    await observer.$disconnect();
  }
  return pending;
}
