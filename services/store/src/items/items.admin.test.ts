import { randomUUID } from "node:crypto";
import request from "supertest";
import { ALL_PRIVILEGES, Privilege } from "@rail/common";
import { describe, expect } from "vitest";
import { test, type TestContext } from "../../test/fixtures.js";
import {
  API,
  bearer,
  createStore,
  engineerToken,
  itemBody,
  robotToken,
  terminalToken,
} from "../../test/helpers.js";

interface AdminItemsFixture {
  ctx: TestContext;
  admin: string;
  store: string;
  add: (storeId: string, body?: Record<string, unknown>) => request.Test;
  get: (itemId: string) => request.Test;
}

/** Per test: a fresh store; per file: the app and an ADMIN engineer's session. */
const it = test.extend<{ admin: string; a: AdminItemsFixture }>({
  admin: [async ({ ctx }, use) => use(await engineerToken(ctx)), { scope: "file" }],
  a: async ({ ctx, admin }, use) => {
    const store = await createStore(ctx);
    await use({
      ctx,
      admin,
      store: store.id,
      add: (storeId, body = itemBody()) =>
        request(ctx.app)
          .post(`${API}/admin/store/${storeId}/item`)
          .set("Authorization", bearer(admin))
          .send(body),
      get: (itemId) =>
        request(ctx.app).get(`${API}/admin/store/item/${itemId}`).set("Authorization", bearer(admin)),
    });
  },
});

describe("admin store items: engineers manage any store's catalogue without a terminal session", () => {
  it("creates, lists (search by name), reads, overwrites, restocks and deletes items; the terminal sees them", async ({
    a: { ctx, admin, store, add, get },
  }) => {
    const auth = bearer(admin);
    // Digits as strings, as the reference's DebugConsole sends them.
    const tea = await add(store, { ...itemBody({ name: "Black tea" }), balance: "5", price_penny: "9900" });
    expect(tea.status).toBe(200);
    expect(tea.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      store_id: store,
      name: "Black tea",
      description: "Tasty",
      logo_url: "item.jpg",
      balance: 5,
      price_penny: 9900,
      category: "food",
    });
    await add(store, itemBody({ name: "Green tea" }));
    await add(store, itemBody({ name: "Chocolate" }));

    const page = await request(ctx.app)
      .get(`${API}/admin/store/${store}/items?size=2`)
      .set("Authorization", auth);
    expect(page.body).toMatchObject({ total: 3, page: 1, size: 2, pages: 2 });
    expect(page.body.items.map((i: { name: string }) => i.name)).toEqual(["Black tea", "Chocolate"]);
    const found = await request(ctx.app)
      .get(`${API}/admin/store/${store}/items?q=TEA`)
      .set("Authorization", auth);
    expect(found.body.items.map((i: { name: string }) => i.name)).toEqual(["Black tea", "Green tea"]);
    expect((await get(tea.body.id)).body).toEqual(tea.body);

    const updated = await request(ctx.app)
      .put(`${API}/admin/store/item/${tea.body.id}`)
      .set("Authorization", auth)
      .send(
        itemBody({ name: "Earl Grey", balance: 7, price_penny: 12000, logo_url: "/base_api/v1/images/x" }),
      );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: tea.body.id, store_id: store, name: "Earl Grey", balance: 7 });

    const restocked = await request(ctx.app)
      .post(`${API}/admin/store/item/${tea.body.id}/stock`)
      .set("Authorization", auth)
      .send({ delta: 3 });
    expect(restocked.body.balance).toBe(10);

    // The terminal of that store sees what the engineer did.
    const terminal = bearer(await terminalToken(ctx, store));
    const seen = await request(ctx.app)
      .get(`${API}/store/item/${tea.body.id}`)
      .set("Authorization", terminal);
    expect(seen.body).toMatchObject({ name: "Earl Grey", balance: 10, price_penny: 12000 });

    const deleted = await request(ctx.app)
      .delete(`${API}/admin/store/item/${tea.body.id}`)
      .set("Authorization", auth);
    expect(deleted.body).toEqual({ status: "OK" });
    const gone = await get(tea.body.id);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: "Item not found" });
    const again = await request(ctx.app)
      .delete(`${API}/admin/store/item/${tea.body.id}`)
      .set("Authorization", auth);
    expect(again.status).toBe(404);
  });

  it("validates like the terminal routes: 422 bodies, 404 store or item, 400 stock, nothing half-written", async ({
    a: { ctx, admin, store, add },
  }) => {
    const auth = bearer(admin);
    for (const bad of [
      itemBody({ name: "x".repeat(51) }),
      itemBody({ balance: -1 }),
      { ...itemBody(), price_penny: 2_147_483_648 },
      { ...itemBody(), category: undefined },
      { ...itemBody(), name: "nul\u0000" },
    ]) {
      expect((await add(store, bad)).status).toBe(422);
    }
    const unknownStore = await add(randomUUID());
    expect(unknownStore.status).toBe(404);
    expect(unknownStore.body).toEqual({ detail: "Store not found" });
    expect((await add("not-a-uuid")).status).toBe(422);
    const list = await request(ctx.app)
      .get(`${API}/admin/store/${randomUUID()}/items`)
      .set("Authorization", auth);
    expect(list.body).toEqual({ detail: "Store not found" });

    const item = (await add(store, itemBody({ balance: 2 }))).body;
    const tooMany = await request(ctx.app)
      .post(`${API}/admin/store/item/${item.id}/stock`)
      .set("Authorization", auth)
      .send({ delta: -3 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ detail: "Not enough items" });
    const overflow = await request(ctx.app)
      .post(`${API}/admin/store/item/${item.id}/stock`)
      .set("Authorization", auth)
      .send({ delta: 2_147_483_647 });
    expect(overflow.body).toEqual({ detail: "Stock would exceed the maximum balance" });
    const zero = await request(ctx.app)
      .post(`${API}/admin/store/item/${item.id}/stock`)
      .set("Authorization", auth)
      .send({ delta: 0 });
    expect(zero.status).toBe(422);
    const badPut = await request(ctx.app)
      .put(`${API}/admin/store/item/${item.id}`)
      .set("Authorization", auth)
      .send(itemBody({ name: "" }));
    expect(badPut.status).toBe(422);
    const missing = await request(ctx.app)
      .put(`${API}/admin/store/item/${randomUUID()}`)
      .set("Authorization", auth)
      .send(itemBody());
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Item not found" });
    expect(await ctx.db.storeItem.count({ where: { storeId: store } })).toBe(1);
    expect((await ctx.db.storeItem.findUnique({ where: { id: item.id } }))?.balance).toBe(2);
  });

  it("requires an ADMIN engineer (or the service token): terminals, robots and other engineers are refused", async ({
    a: { ctx, store, add },
  }) => {
    const item = (await add(store)).body;
    const callers = {
      nobody: undefined,
      terminal: await terminalToken(ctx, store),
      robot: await robotToken(ctx),
      engineerWithoutAdmin: await engineerToken(ctx, ALL_PRIVILEGES & ~Privilege.ADMIN),
    };
    for (const [who, token] of Object.entries(callers)) {
      const as = (r: request.Test) => (token ? r.set("Authorization", bearer(token)) : r);
      const statuses = [
        (await as(request(ctx.app).get(`${API}/admin/store/${store}/items`))).status,
        (await as(request(ctx.app).post(`${API}/admin/store/${store}/item`)).send(itemBody())).status,
        (await as(request(ctx.app).put(`${API}/admin/store/item/${item.id}`)).send(itemBody())).status,
        (await as(request(ctx.app).post(`${API}/admin/store/item/${item.id}/stock`)).send({ delta: 1 }))
          .status,
        (await as(request(ctx.app).delete(`${API}/admin/store/item/${item.id}`))).status,
      ];
      for (const status of statuses) expect([401, 403], who).toContain(status);
    }
    expect(await ctx.db.storeItem.count({ where: { storeId: store } })).toBe(1);
  });

  it("loses no update when engineers restock while others sell the last units concurrently", async ({
    a: { ctx, admin, store, add },
  }) => {
    const item = (await add(store, itemBody({ balance: 10 }))).body;
    const change = (delta: number) =>
      request(ctx.app)
        .post(`${API}/admin/store/item/${item.id}/stock`)
        .set("Authorization", bearer(admin))
        .send({ delta });
    const answers = await Promise.all([
      ...Array.from({ length: 15 }, () => change(-1)),
      ...Array.from({ length: 5 }, () => change(+1)),
    ]);
    const taken = answers.slice(0, 15).filter((r) => r.status === 200).length;
    for (const r of answers) expect([200, 400]).toContain(r.status);
    expect(answers.slice(15).every((r) => r.status === 200)).toBe(true);
    // Never below zero, and every accepted change counted exactly once.
    const balance = (await ctx.db.storeItem.findUnique({ where: { id: item.id } }))!.balance;
    expect(balance).toBe(10 + 5 - taken);
    expect(balance).toBeGreaterThanOrEqual(0);
  });

  it("answers 404, never 500, when the store is deleted while items are being added, and leaves no orphans", async ({
    a: { ctx, admin, add },
  }) => {
    const store = (await createStore(ctx)).id;
    const adds = Array.from({ length: 10 }, () => add(store));
    const deletion = request(ctx.app)
      .delete(`${API}/admin/store/${store}`)
      .set("Authorization", bearer(admin));
    const answers = await Promise.all([...adds, deletion]);
    for (const r of answers.slice(0, 10)) expect([200, 404]).toContain(r.status);
    expect(answers[10]!.status).toBe(200);
    expect(await ctx.db.storeItem.count({ where: { storeId: store } })).toBe(0);
  });
});
