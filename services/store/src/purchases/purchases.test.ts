import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError } from "@rail/common";
import { buildApp } from "../app.js";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  PURCHASE_STATEMENTS_IN_FLIGHT,
  PurchasesRepository,
  type NewPurchase,
  type PurchaseOutcome,
} from "./purchases.repository.js";
import { mergeLines, PurchasesService } from "./purchases.service.js";
import {
  API,
  bearer,
  createItem,
  itemBalance,
  raceOnLockedItem,
  robotToken,
  serviceToken,
  storeWithTerminal,
} from "../../test/helpers.js";

describe("purchases", () => {
  let ctx: TestContext;
  let robot: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    robot = await robotToken(ctx);
  });
  afterAll(async () => ctx?.close());

  const robotBuys = (storeId: string, body: object, token = robot) =>
    request(ctx.app)
      .post(`${API}/robot/store/${storeId}/make_purchase`)
      .set("Authorization", bearer(token))
      .send(body);
  const purchaseBody = (items: { item_id: string; count: unknown }[], extra: object = {}) => ({
    user_id: randomUUID(),
    items,
    is_default_ready: true,
    additional_data: {},
    ...extra,
  });

  it("runs its statements without JIT compilation (the purchase batch's plan would be compiled on every call)", async () => {
    const connections = await Promise.all([ctx.db.$pg.connect(), ctx.db.$pg.connect()]);
    try {
      for (const client of connections)
        expect((await client.query("SHOW jit")).rows).toEqual([{ jit: "off" }]);
    } finally {
      for (const client of connections) client.release();
    }
  });

  it("records each line's unit price and the total, and decrements stock", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const tea = await createItem(ctx, token, { name: "Tea", balance: 5, price_penny: 12000 });
    const cake = await createItem(ctx, token, { name: "Cake", balance: 3, price_penny: 25050 });
    const userId = randomUUID();
    const res = await robotBuys(store.id, {
      user_id: userId,
      items: [
        { item_id: tea.id, count: 2 },
        { item_id: cake.id, count: 1 },
      ],
      is_default_ready: true,
      additional_data: { seat: "12A" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      store_id: store.id,
      user_id: userId,
      items: [
        { item_id: tea.id, count: 2, name: "Tea", price_penny: 12000 },
        { item_id: cake.id, count: 1, name: "Cake", price_penny: 25050 },
      ],
      total_penny: 2 * 12000 + 25050,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Math.abs(Date.parse(res.body.date) - Date.now())).toBeLessThan(60_000);
    expect(await itemBalance(ctx, token, tea.id)).toBe(3);
    expect(await itemBalance(ctx, token, cake.id)).toBe(2);
  });

  it("totals count x unit price exactly at the largest price and count", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const dear = await createItem(ctx, token, { name: "Dear", balance: 10_000, price_penny: 2_147_483_647 });
    const cake = await createItem(ctx, token, { name: "Cake", balance: 3, price_penny: 25050 });
    const res = await robotBuys(
      store.id,
      purchaseBody([
        { item_id: cake.id, count: 3 },
        { item_id: dear.id, count: 10_000 },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { item_id: cake.id, count: 3, name: "Cake", price_penny: 25050 },
      { item_id: dear.id, count: 10_000, name: "Dear", price_penny: 2_147_483_647 },
    ]);
    expect(BigInt(res.body.total_penny)).toBe(3n * 25050n + 10_000n * 2_147_483_647n);
  });

  it("keeps the price paid when the item's price changes later", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5, price_penny: 1000 });
    const userId = randomUUID();
    await robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 1 }], { user_id: userId })).expect(
      200,
    );
    await request(ctx.app)
      .put(`${API}/store/item`)
      .set("Authorization", bearer(token))
      .send({ ...item, description: "x", logo_url: "x.jpg", category: "food", price_penny: 9999 })
      .expect(200);
    const history = await request(ctx.app)
      .get(`${API}/internal/users/${userId}/purchases`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(history.body.items[0].items[0].price_penny).toBe(1000);
    expect(history.body.items[0].total_penny).toBe(1000);
  });

  it("sells exactly the stock to 50 concurrent buyers of an item with stock 10", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 10, price_penny: 500 });
    // The first PURCHASE_STATEMENTS_IN_FLIGHT buyers pile up on the item's lock before it is released; the other
    // 46 wait in the repository and follow in batches while those are still contending.
    const results = await raceOnLockedItem(ctx, item.id, PURCHASE_STATEMENTS_IN_FLIGHT, () =>
      Promise.all(
        Array.from({ length: 50 }, () => robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 1 }]))),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 400)).toHaveLength(40);
    for (const r of results.filter((x) => x.status === 400))
      expect(r.body).toEqual({ detail: "Not enough items" });
    expect(await itemBalance(ctx, token, item.id)).toBe(0);
    const sold = await ctx.db.purchaseLine.aggregate({ where: { itemId: item.id }, _sum: { count: true } });
    expect(sold._sum.count).toBe(10);
    const negative = await ctx.db.storeItem.count({ where: { balance: { lt: 0 } } });
    expect(negative).toBe(0);
  });

  it("never sells more than the stock when concurrent purchases take several units", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 10 });
    const results = await raceOnLockedItem(ctx, item.id, PURCHASE_STATEMENTS_IN_FLIGHT, () =>
      Promise.all(
        Array.from({ length: 12 }, () => robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 3 }]))),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(await itemBalance(ctx, token, item.id)).toBe(1);
  });

  it("is all-or-nothing: one short line leaves every other line's stock untouched", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const plenty = await createItem(ctx, token, { balance: 10 });
    const scarce = await createItem(ctx, token, { balance: 1 });
    const res = await robotBuys(
      store.id,
      purchaseBody([
        { item_id: plenty.id, count: 4 },
        { item_id: scarce.id, count: 2 },
      ]),
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Not enough items" });
    expect(await itemBalance(ctx, token, plenty.id)).toBe(10);
    expect(await itemBalance(ctx, token, scarce.id)).toBe(1);
    expect(await ctx.db.purchase.count({ where: { storeId: store.id } })).toBe(0);
    expect(await ctx.db.task.count({ where: { storeId: store.id } })).toBe(0);
  });

  it("answers 404 Some items not found for unknown items and for another store's items", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const mine = await createItem(ctx, token, { balance: 5 });
    const theirs = await createItem(ctx, other.token, { balance: 5 });
    const unknown = await robotBuys(store.id, purchaseBody([{ item_id: randomUUID(), count: 1 }]));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "Some items not found" });
    const foreign = await robotBuys(
      store.id,
      purchaseBody([
        { item_id: mine.id, count: 1 },
        { item_id: theirs.id, count: 1 },
      ]),
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ detail: "Some items not found" });
    expect(await itemBalance(ctx, other.token, theirs.id)).toBe(5);
    expect(await itemBalance(ctx, token, mine.id)).toBe(5);
  });

  it("answers 404 Store not found for an unknown store", async () => {
    const res = await robotBuys(randomUUID(), purchaseBody([{ item_id: randomUUID(), count: 1 }]));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Store not found" });
  });

  it("merges duplicate lines of one item", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5, price_penny: 100 });
    const res = await robotBuys(
      store.id,
      purchaseBody([
        { item_id: item.id, count: 2 },
        { item_id: item.id.toUpperCase(), count: 1 },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ item_id: item.id, count: 3, name: item.name, price_penny: 100 }]);
    expect(res.body.total_penny).toBe(300);
    expect(await itemBalance(ctx, token, item.id)).toBe(2);
  });

  it("takes a count sent as a string of digits (as pydantic did) and additional_data nested 32 levels", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5, price_penny: 100 });
    const nested = JSON.parse(`${"[".repeat(31)}"deep"${"]".repeat(31)}`);
    const res = await robotBuys(
      store.id,
      purchaseBody([{ item_id: item.id, count: "2" }], { additional_data: { a: nested } }),
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ item_id: item.id, count: 2, name: item.name, price_penny: 100 }]);
    expect(await itemBalance(ctx, token, item.id)).toBe(3);
    const task = await ctx.db.task.findUniqueOrThrow({ where: { purchaseId: res.body.id } });
    expect(task.additionalData).toEqual({ a: nested });
  });

  it("rejects bad input with 422 and never a 500", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    const cases: [object, (string | number)[]][] = [
      [purchaseBody([{ item_id: item.id, count: 0 }]), ["body", "items", 0, "count"]],
      [purchaseBody([{ item_id: item.id, count: -3 }]), ["body", "items", 0, "count"]],
      [purchaseBody([{ item_id: item.id, count: 1.5 }]), ["body", "items", 0, "count"]],
      [purchaseBody([{ item_id: "not-a-uuid", count: 1 }]), ["body", "items", 0, "item_id"]],
      [purchaseBody([{ item_id: item.id, count: 1 }], { user_id: "42" }), ["body", "user_id"]],
      [purchaseBody([]), ["body", "items"]],
      [{ user_id: randomUUID(), items: [{ item_id: item.id, count: 1 }] }, ["body", "is_default_ready"]],
      [purchaseBody([{ item_id: item.id, count: 1 }], { additional_data: [1] }), ["body", "additional_data"]],
      [
        purchaseBody([{ item_id: item.id, count: 1 }], { additional_data: { note: ["a\u0000b"] } }),
        ["body", "additional_data"],
      ],
      [purchaseBody([{ item_id: item.id, count: "two" }]), ["body", "items", 0, "count"]],
      [purchaseBody([{ item_id: item.id, count: "0" }]), ["body", "items", 0, "count"]],
      [purchaseBody([{ item_id: item.id, count: 1e300 }]), ["body", "items", 0, "count"]],
      // Unpaired UTF-16 surrogates (values or keys) cannot be stored: Prisma refuses them.
      [
        purchaseBody([{ item_id: item.id, count: 1 }], { additional_data: { note: "\ud800" } }),
        ["body", "additional_data"],
      ],
      [
        purchaseBody([{ item_id: item.id, count: 1 }], { additional_data: { "\udc00": [1] } }),
        ["body", "additional_data"],
      ],
    ];
    for (const [body, loc] of cases) {
      const res = await robotBuys(store.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.detail[0].loc).toEqual(loc);
    }
    // Deeply nested additional_data used to overflow the stack (500). Sent as raw JSON: the test client's own
    // serialiser would overflow first.
    const nestedBody = (depth: number) =>
      `{"user_id":"${randomUUID()}","items":[{"item_id":"${item.id}","count":1}],"is_default_ready":true,` +
      `"additional_data":{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}}`;
    const sendRaw = (body: string, auth?: string) => {
      const req = request(ctx.app)
        .post(`${API}/robot/store/${store.id}/make_purchase`)
        .set("Content-Type", "application/json");
      return (auth ? req.set("Authorization", auth) : req).send(body);
    };
    const justTooDeep = await sendRaw(nestedBody(33), bearer(robot));
    expect(justTooDeep.status).toBe(422);
    expect(justTooDeep.body.detail[0]).toMatchObject({
      loc: ["body", "additional_data"],
      msg: "JSON must not be nested more than 32 levels deep",
    });
    const absurd = await sendRaw(nestedBody(20_000), bearer(robot));
    expect(absurd.status).toBe(422);
    expect(absurd.body.detail).toEqual([
      { type: "too_deep", loc: ["body"], msg: "JSON must not be nested more than 64 levels deep" },
    ]);
    // Authentication still comes first.
    expect((await sendRaw(nestedBody(20_000))).status).toBe(401);
    const badStore = await robotBuys("nope", purchaseBody([{ item_id: item.id, count: 1 }]));
    expect(badStore.status).toBe(422);
    expect(badStore.body.detail[0].loc).toEqual(["path", "store_id"]);
    expect(await itemBalance(ctx, token, item.id)).toBe(5);
  });

  it("requires a robot token on the robot route and a terminal token on the terminal route", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    const body = purchaseBody([{ item_id: item.id, count: 1 }]);
    expect(
      (await request(ctx.app).post(`${API}/robot/store/${store.id}/make_purchase`).send(body)).status,
    ).toBe(401);
    expect((await robotBuys(store.id, body, token)).status).toBe(401);
    const wrongKind = await request(ctx.app)
      .post(`${API}/store/purchase`)
      .set("Authorization", bearer(robot))
      .send(body);
    expect(wrongKind.status).toBe(401);
    expect(wrongKind.body).toEqual({ detail: "Invalid credentials" });
    expect(await itemBalance(ctx, token, item.id)).toBe(5);
  });

  it("lets a terminal sell only its own store's items", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const mine = await createItem(ctx, token, { balance: 5 });
    const theirs = await createItem(ctx, other.token, { balance: 5 });
    const ok = await request(ctx.app)
      .post(`${API}/store/purchase`)
      .set("Authorization", bearer(token))
      .send(purchaseBody([{ item_id: mine.id, count: 2 }], { is_default_ready: false }));
    expect(ok.status).toBe(200);
    expect(ok.body.store_id).toBe(store.id);
    const denied = await request(ctx.app)
      .post(`${API}/store/purchase`)
      .set("Authorization", bearer(token))
      .send(purchaseBody([{ item_id: theirs.id, count: 1 }]));
    expect(denied.status).toBe(404);
    expect(denied.body).toEqual({ detail: "Some items not found" });
    expect(await itemBalance(ctx, other.token, theirs.id)).toBe(5);
  });

  describe("Idempotency-Key", () => {
    it("returns the first result to a retry instead of buying twice", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const body = purchaseBody([{ item_id: item.id, count: 2 }]);
      const key = randomUUID();
      const first = await robotBuys(store.id, body).set("Idempotency-Key", key);
      const retry = await robotBuys(store.id, body).set("Idempotency-Key", key);
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers["idempotent-replayed"]).toBe("true");
      expect(first.headers["idempotent-replayed"]).toBeUndefined();
      expect(await itemBalance(ctx, token, item.id)).toBe(3);
      expect(await ctx.db.purchase.count({ where: { storeId: store.id } })).toBe(1);
    });

    it("replays even when the stock is gone by the time of the retry", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 1 });
      const body = purchaseBody([{ item_id: item.id, count: 1 }]);
      const key = randomUUID();
      const first = await robotBuys(store.id, body).set("Idempotency-Key", key);
      const retry = await robotBuys(store.id, body).set("Idempotency-Key", key);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
    });

    it("buys once when retries of one request arrive concurrently", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 3 });
      const body = purchaseBody([{ item_id: item.id, count: 1 }]);
      const key = randomUUID();
      // Two replicas of the store: within one, a retry waits for the first attempt in the repository; across
      // them, it waits on the key's unique index in Postgres. Both first attempts reach the item's lock.
      const apps = [ctx.app, buildApp(ctx)];
      const results = await raceOnLockedItem(ctx, item.id, apps.length, () =>
        Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            request(apps[i % apps.length]!)
              .post(`${API}/robot/store/${store.id}/make_purchase`)
              .set("Authorization", bearer(robot))
              .set("Idempotency-Key", key)
              .send(body),
          ),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      expect(await itemBalance(ctx, token, item.id)).toBe(2);
    });

    it("rejects the same key with a different body with 422 and buys nothing", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const key = randomUUID();
      const userId = randomUUID();
      await robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 1 }], { user_id: userId }))
        .set("Idempotency-Key", key)
        .expect(200);
      const changed = await robotBuys(
        store.id,
        purchaseBody([{ item_id: item.id, count: 2 }], { user_id: userId }),
      ).set("Idempotency-Key", key);
      expect(changed.status).toBe(422);
      expect(changed.body).toEqual({ detail: "Idempotency-Key was already used with a different request" });
      expect(await itemBalance(ctx, token, item.id)).toBe(4);
    });

    it("scopes keys per caller: two robots using the same key both buy", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const body = purchaseBody([{ item_id: item.id, count: 1 }]);
      const key = "retry-1";
      const a = await robotBuys(store.id, body).set("Idempotency-Key", key);
      const b = await robotBuys(store.id, body, await robotToken(ctx)).set("Idempotency-Key", key);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      expect(b.body.id).not.toBe(a.body.id);
      expect(await itemBalance(ctx, token, item.id)).toBe(3);
    });

    it("does not remember failed attempts, so a retry after restocking succeeds", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 0 });
      const body = purchaseBody([{ item_id: item.id, count: 1 }]);
      const key = randomUUID();
      expect((await robotBuys(store.id, body).set("Idempotency-Key", key)).status).toBe(400);
      await ctx.db.storeItem.update({ where: { id: item.id }, data: { balance: 1 } });
      expect((await robotBuys(store.id, body).set("Idempotency-Key", key)).status).toBe(200);
    });

    it("keeps keys for at least 24 hours and forgets older ones", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const body = purchaseBody([{ item_id: item.id, count: 1 }]);
      const key = randomUUID();
      const first = await robotBuys(store.id, body).set("Idempotency-Key", key);
      const hours = (h: number) => new Date(Date.now() - h * 3600_000);
      await ctx.db.idempotencyKey.updateMany({ where: { key }, data: { createdAt: hours(23.9) } });
      expect((await robotBuys(store.id, body).set("Idempotency-Key", key)).body.id).toBe(first.body.id);
      await ctx.db.idempotencyKey.updateMany({ where: { key }, data: { createdAt: hours(24.1) } });
      const later = await robotBuys(store.id, body).set("Idempotency-Key", key);
      expect(later.status).toBe(200);
      expect(later.body.id).not.toBe(first.body.id);
      expect(await itemBalance(ctx, token, item.id)).toBe(3);
    });

    it("treats the same body with object keys in another order as the same request", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const userId = randomUUID();
      const key = randomUUID();
      const first = await robotBuys(store.id, {
        user_id: userId,
        items: [{ item_id: item.id, count: 1 }],
        is_default_ready: true,
        additional_data: { seat: 4, wagon: 2 },
      }).set("Idempotency-Key", key);
      const retry = await robotBuys(store.id, {
        additional_data: { wagon: 2, seat: 4 },
        is_default_ready: true,
        items: [{ count: 1, item_id: item.id }],
        user_id: userId,
      }).set("Idempotency-Key", key);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
      expect(await itemBalance(ctx, token, item.id)).toBe(4);
    });

    it("rejects malformed keys with 422", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      const res = await robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 1 }])).set(
        "Idempotency-Key",
        "x".repeat(256),
      );
      expect(res.status).toBe(422);
      expect(res.body.detail[0].loc).toEqual(["header", "Idempotency-Key"]);
      expect(await itemBalance(ctx, token, item.id)).toBe(5);
    });
  });

  describe("the one-statement write (repository)", () => {
    const priced = (storeId: string, itemId: string, count = 1): NewPurchase => ({
      storeId,
      userId: randomUUID(),
      lines: [{ position: 0, itemId, count }],
      task: { isReady: false, readyAt: null, additionalData: {}, trainNumber: null },
    });
    const count = (storeId: string) => ctx.db.purchase.count({ where: { storeId } });

    it("writes nothing when an item vanished after pricing, or the store did", async () => {
      const repository = new PurchasesRepository(ctx.db);
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5 });
      expect(await repository.create(priced(store.id, randomUUID()))).toEqual({ kind: "items_missing" });
      expect(await repository.create(priced(randomUUID(), item.id))).toEqual({ kind: "store_missing" });
      expect(await repository.create(priced(store.id, item.id, 6))).toEqual({ kind: "insufficient_stock" });
      expect(await count(store.id)).toBe(0);
      expect(await itemBalance(ctx, token, item.id)).toBe(5);
      expect((await repository.create(priced(store.id, item.id, 5))).kind).toBe("created");
      expect(await itemBalance(ctx, token, item.id)).toBe(0);
    });
  });

  describe("purchases that arrive together (repository batches)", () => {
    // Sent to Postgres inside an array literal: quotes, backslashes, braces and commas must survive.
    const ADDITIONAL = { n: 1, note: 'seat "12A", {wagon} \\ 2 — ✓', nested: { list: [1, "a,b"] } };
    it("writes concurrent purchases in fewer statements with the answers each would get alone", async () => {
      // Statements the repository sends on the pool (its purchases are prepared statements there).
      let statements = 0;
      const pool = new Proxy(ctx.db.$pg, {
        get: (target, prop, receiver) =>
          prop === "query"
            ? (...args: unknown[]) => (
                (statements += 1),
                (target.query as (...a: unknown[]) => unknown)(...args)
              )
            : Reflect.get(target, prop, receiver),
      });
      const counted = new Proxy(ctx.db, {
        get: (db, prop, receiver) => (prop === "$pg" ? pool : Reflect.get(db, prop, receiver)),
      });
      const repository = new PurchasesRepository(counted);
      const { store, token } = await storeWithTerminal(ctx);
      const other = await storeWithTerminal(ctx);
      const tea = await createItem(ctx, token, { name: "Tea", balance: 12, price_penny: 150 });
      const cake = await createItem(ctx, token, { name: "Cake", balance: 100, price_penny: 300 });
      const theirs = await createItem(ctx, other.token, { balance: 5 });
      const buy = (storeId: string, lines: [string, number][], key?: string): NewPurchase => ({
        storeId,
        userId: randomUUID(),
        lines: lines.map(([itemId, count], position) => ({ position, itemId, count })),
        task: { isReady: true, readyAt: null, additionalData: ADDITIONAL, trainNumber: 7 },
        ...(key
          ? { idempotency: { scope: "robot:r", key, requestHash: "h".repeat(64), ttlSeconds: 86400 } }
          : {}),
      });
      const key = randomUUID();
      const retry = buy(store.id, [[cake.id, 1]], key);
      const inputs = [
        ...Array.from({ length: 10 }, () => buy(store.id, [[tea.id, 1]])),
        ...Array.from({ length: 3 }, () => buy(store.id, [[tea.id, 5]])),
        ...Array.from({ length: 5 }, () =>
          buy(store.id, [
            [cake.id, 2],
            [tea.id, 0 + 1],
          ]),
        ),
        buy(store.id, [[randomUUID(), 1]]),
        buy(store.id, [[theirs.id, 1]]),
        buy(randomUUID(), [[tea.id, 1]]),
        retry,
        retry,
        retry,
      ];
      const outcomes = await raceOnLockedItem(ctx, tea.id, PURCHASE_STATEMENTS_IN_FLIGHT, () =>
        Promise.all(inputs.map((input) => repository.create(input))),
      );
      expect(statements).toBeLessThan(inputs.length);

      const kinds = outcomes.map((o) => o.kind);
      expect(kinds.slice(18, 22)).toEqual(["items_missing", "items_missing", "store_missing", "created"]);
      const first = outcomes[21]!;
      if (first.kind !== "created") throw new Error("the keyed purchase was not made");
      expect(outcomes.slice(22)).toEqual(
        Array(2).fill({ kind: "replay", requestHash: "h".repeat(64), purchaseId: first.purchase.id }),
      );
      // Tea: 12 units for 10 x 1 + 3 x 5 + 5 x 1 wanted; exactly what was answered "created" left the stock.
      const made = outcomes.slice(0, 18).filter((o) => o.kind === "created");
      for (const o of outcomes.slice(0, 18)) expect(["created", "insufficient_stock"]).toContain(o.kind);
      const teaSold = made.reduce(
        (sum, o) => sum + o.purchase.lines.find((l) => l.itemId === tea.id)!.count,
        0,
      );
      const teaLeft = await itemBalance(ctx, token, tea.id);
      expect(teaLeft).toBe(12 - teaSold);
      // A purchase is refused only when its lines did not fit: what is left is less than a refused line wanted.
      if (made.length < 18) expect(teaLeft).toBeLessThan(5);
      if (kinds.slice(0, 10).includes("insufficient_stock")) expect(teaLeft).toBe(0);
      const cakeSold = made.reduce(
        (sum, o) => sum + (o.purchase.lines.find((l) => l.itemId === cake.id)?.count ?? 0),
        0,
      );
      expect(await itemBalance(ctx, token, cake.id)).toBe(100 - cakeSold - 1);

      // Every answer is what was stored: lines priced from the rows, totals, tasks.
      for (const o of made) {
        const stored = await ctx.db.purchase.findUnique({
          where: { id: o.purchase.id },
          include: { lines: { orderBy: { position: "asc" } }, task: true },
        });
        expect(stored).toMatchObject({
          id: o.purchase.id,
          totalPenny: o.purchase.totalPenny,
          lines: o.purchase.lines.map((l) => ({
            itemId: l.itemId,
            count: l.count,
            name: l.name,
            pricePenny: l.pricePenny,
          })),
          task: { id: o.task.id, isReady: true, trainNumber: 7, additionalData: ADDITIONAL },
        });
        expect(o.purchase.totalPenny).toBe(
          o.purchase.lines.reduce((sum, l) => sum + BigInt(l.count * (l.itemId === tea.id ? 150 : 300)), 0n),
        );
      }
      expect(await ctx.db.purchase.count({ where: { storeId: store.id } })).toBe(made.length + 1);
    });
  });

  describe("POST /internal/stores/{store_id}/purchases", () => {
    it("buys for a passenger with the service token, keys scoped per passenger, and refuses robots", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 5, price_penny: 300 });
      const serviceBuys = (body: object, auth = serviceToken(ctx)) =>
        request(ctx.app)
          .post(`${API}/internal/stores/${store.id}/purchases`)
          .set("Authorization", bearer(auth))
          .set("Idempotency-Key", "order-1")
          .send(body);
      const alice = purchaseBody([{ item_id: item.id, count: 2 }]);
      const bob = purchaseBody([{ item_id: item.id, count: 1 }]);
      const first = await serviceBuys(alice);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ store_id: store.id, user_id: alice.user_id, total_penny: 600 });
      const retry = await serviceBuys(alice);
      expect(retry.body.id).toBe(first.body.id);
      expect(retry.headers["idempotent-replayed"]).toBe("true");
      // Same key, another passenger: a different purchase, not a 422.
      const other = await serviceBuys(bob);
      expect(other.status).toBe(200);
      expect(other.body.id).not.toBe(first.body.id);
      expect(await itemBalance(ctx, token, item.id)).toBe(2);
      expect((await serviceBuys(bob, robot)).status).toBe(401);
    });
  });

  describe("GET /internal/users/{user_id}/purchases", () => {
    it("lists a passenger's purchases newest first with store name and status, for the service token only", async () => {
      const { store, token } = await storeWithTerminal(ctx, { name: `Buffet ${randomUUID().slice(0, 6)}` });
      const item = await createItem(ctx, token, { balance: 10, price_penny: 700, name: "Pie" });
      const userId = randomUUID();
      const first = await robotBuys(
        store.id,
        purchaseBody([{ item_id: item.id, count: 1 }], { user_id: userId, is_default_ready: false }),
      );
      const second = await robotBuys(
        store.id,
        purchaseBody([{ item_id: item.id, count: 2 }], { user_id: userId }),
      );
      await robotBuys(store.id, purchaseBody([{ item_id: item.id, count: 1 }]));

      const res = await request(ctx.app)
        .get(`${API}/internal/users/${userId}/purchases?page=1&size=1`)
        .set("Authorization", bearer(serviceToken(ctx)));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 2, page: 1, size: 1, pages: 2 });
      expect(res.body.items).toEqual([
        {
          id: second.body.id,
          store_id: store.id,
          store_name: store.name,
          date: second.body.date,
          total_penny: 1400,
          status: "ready",
          items: [{ item_id: item.id, name: "Pie", count: 2, price_penny: 700 }],
        },
      ]);
      const page2 = await request(ctx.app)
        .get(`${API}/internal/users/${userId}/purchases?page=2&size=1`)
        .set("Authorization", bearer(serviceToken(ctx)));
      expect(page2.body.items[0]).toMatchObject({ id: first.body.id, status: "pending" });

      expect(
        (
          await request(ctx.app)
            .get(`${API}/internal/users/${userId}/purchases`)
            .set("Authorization", bearer(robot))
        ).status,
      ).toBe(401);
    });
  });
});

describe("purchases with VERIFY_BUYERS_WITH_BASE", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // Nothing listens on port 9: the base service is down.
    ctx = await createTestContext({
      VERIFY_BUYERS_WITH_BASE: "true",
      BASE_API_URL: "http://127.0.0.1:9/base_api/v1",
    });
  });
  afterAll(async () => ctx?.close());

  it("answers 503 and sells nothing when the base service cannot confirm the buyer", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { balance: 5 });
    const body = { user_id: randomUUID(), items: [{ item_id: item.id, count: 1 }], is_default_ready: true };
    const res = await request(ctx.app)
      .post(`${API}/robot/store/${store.id}/make_purchase`)
      .set("Authorization", bearer(await robotToken(ctx)))
      .send(body);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ detail: "Base service unavailable" });
    expect(await itemBalance(ctx, token, item.id)).toBe(5);
    const terminal = await request(ctx.app)
      .post(`${API}/store/purchase`)
      .set("Authorization", bearer(token))
      .send(body);
    expect(terminal.status).toBe(503);
    expect(await itemBalance(ctx, token, item.id)).toBe(5);
  });
});

describe("PurchasesRepository batches (unit, fake pool)", () => {
  /** A pool whose single-purchase statement succeeds and whose batch statement fails with `batchError`. */
  function fakeDb(batchError: Error) {
    const calls = { single: 0, batch: 0 };
    const query = async ({ name, values }: { name: string; values: unknown[] }) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (name === "store_purchase_batch") {
        calls.batch += 1;
        throw batchError;
      }
      calls.single += 1;
      const [itemId] = values[1] as string[];
      return {
        rows: [
          {
            id: randomUUID(),
            created_at: new Date(),
            total_penny: "100",
            task_id: randomUUID(),
            item_id: itemId,
            name: "Tea",
            price_penny: 100,
          },
        ],
      };
    };
    return {
      db: { $pg: { query } } as unknown as ConstructorParameters<typeof PurchasesRepository>[0],
      calls,
    };
  }
  const input = (): NewPurchase => ({
    storeId: randomUUID(),
    userId: randomUUID(),
    lines: [{ position: 0, itemId: randomUUID(), count: 1 }],
    task: { isReady: false, readyAt: null, additionalData: {}, trainNumber: null },
  });
  const waiting = 2;
  const buyAll = (repository: PurchasesRepository) =>
    Promise.allSettled(
      Array.from({ length: PURCHASE_STATEMENTS_IN_FLIGHT + waiting }, () => repository.create(input())),
    );

  it("tries each purchase alone when Postgres refused the batch statement (nothing was written)", async () => {
    const { db, calls } = fakeDb(Object.assign(new Error("deadlock detected"), { code: "40P01" }));
    const results = await buyAll(new PurchasesRepository(db));
    expect(calls).toEqual({ single: PURCHASE_STATEMENTS_IN_FLIGHT + waiting, batch: 1 });
    expect(results.map((r) => r.status)).toEqual(
      Array(PURCHASE_STATEMENTS_IN_FLIGHT + waiting).fill("fulfilled"),
    );
  });

  it("never retries a batch whose fate is unknown (connection lost): its purchases fail instead of selling twice", async () => {
    const { db, calls } = fakeDb(new Error("Connection terminated unexpectedly"));
    const results = await buyAll(new PurchasesRepository(db));
    expect(calls).toEqual({ single: PURCHASE_STATEMENTS_IN_FLIGHT, batch: 1 });
    expect(results.slice(PURCHASE_STATEMENTS_IN_FLIGHT).map((r) => r.status)).toEqual(
      Array(waiting).fill("rejected"),
    );
  });
});

describe("PurchasesService (unit, fake repository)", () => {
  const body = {
    user_id: randomUUID(),
    items: [{ item_id: randomUUID(), count: 1 }],
    is_default_ready: true,
    additional_data: {},
  };
  const fakeRepository = (outcome: PurchaseOutcome) =>
    ({
      create: async () => outcome,
      findById: async () => null,
    }) as unknown as PurchasesRepository;

  it("creates the task ready (with its ready time) only when the robot says so", async () => {
    const created: NewPurchase[] = [];
    const repository = {
      create: async (input: NewPurchase) => (created.push(input), { kind: "busy" }),
    } as unknown as PurchasesRepository;
    const now = new Date("2026-01-02T03:04:05Z");
    const service = new PurchasesService(repository, 86400, undefined, () => now);
    for (const ready of [true, false])
      await service
        .purchase({ kind: "robot", subject: "r" }, randomUUID(), { ...body, is_default_ready: ready })
        .catch(() => undefined);
    expect(created.map((c) => c.task)).toEqual([
      { isReady: true, readyAt: now, additionalData: {}, trainNumber: null },
      { isReady: false, readyAt: null, additionalData: {}, trainNumber: null },
    ]);
  });

  it("merges repeated lines of one item, keeping the first line's position", () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect(
      mergeLines([
        { item_id: a, count: 1 },
        { item_id: b, count: 2 },
        { item_id: a, count: 3 },
      ]),
    ).toEqual([
      { itemId: a, count: 4 },
      { itemId: b, count: 2 },
    ]);
  });

  it("refuses a purchase for a passenger the base service does not know, before touching stock", async () => {
    let created = 0;
    const repository = {
      create: async () => ((created += 1), { kind: "busy" }),
    } as unknown as PurchasesRepository;
    const asked: string[] = [];
    const buyers = { exists: async (userId: string) => (asked.push(userId), false) };
    const service = new PurchasesService(repository, 86400, buyers);
    const err = await service
      .purchase({ kind: "store", subject: "s" }, randomUUID(), body)
      .catch((e: unknown) => e);
    expect((err as HttpError).status).toBe(404);
    expect((err as HttpError).detail).toBe("User not found");
    expect(asked).toEqual([body.user_id]);
    expect(created).toBe(0);
  });

  it("turns database contention into a retryable 503, not a 500", async () => {
    const service = new PurchasesService(fakeRepository({ kind: "busy" }), 86400);
    const err = await service
      .purchase({ kind: "robot", subject: "r" }, randomUUID(), body)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(503);
    expect((err as HttpError).headers["Retry-After"]).toBe("1");
  });
});
