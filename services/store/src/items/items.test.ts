import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  API,
  bearer,
  createItem,
  itemBalance,
  itemBody,
  raceOnLockedItem,
  robotToken,
  serviceToken,
  storeWithTerminal,
  terminalToken,
} from "../../test/helpers.js";

describe("store terminal items", () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.close());

  it("creates, reads, lists, updates and deletes the terminal store's items", async () => {
    const { token } = await storeWithTerminal(ctx);
    const auth = bearer(token);
    const created = await request(ctx.app)
      .post(`${API}/store/item`)
      .set("Authorization", auth)
      .send(itemBody({ name: "Tea" }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "Tea", balance: 10, price_penny: 15000, category: "food" });
    const id = created.body.id;

    expect((await request(ctx.app).get(`${API}/store/item/${id}`).set("Authorization", auth)).body).toEqual(
      created.body,
    );

    await createItem(ctx, token, { name: "Biscuit" });
    const list = await request(ctx.app).get(`${API}/store/items?size=1&page=2`).set("Authorization", auth);
    expect(list.body).toMatchObject({ total: 2, page: 2, size: 1, pages: 2 });
    expect(list.body.items.map((i: { name: string }) => i.name)).toEqual(["Tea"]);

    const updated = await request(ctx.app)
      .put(`${API}/store/item`)
      .set("Authorization", auth)
      .send({ ...itemBody({ name: "Green tea", balance: 3, price_penny: 9900 }), id });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, name: "Green tea", balance: 3, price_penny: 9900 });

    const deleted = await request(ctx.app).delete(`${API}/store/item/${id}`).set("Authorization", auth);
    expect(deleted.body).toEqual({ status: "OK" });
    const gone = await request(ctx.app).get(`${API}/store/item/${id}`).set("Authorization", auth);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ detail: "Item not found" });
  });

  it("treats another store's item as not found for read, update and delete", async () => {
    const mine = await storeWithTerminal(ctx);
    const theirs = await storeWithTerminal(ctx);
    const item = await createItem(ctx, theirs.token, { balance: 7 });
    const auth = bearer(mine.token);
    const read = await request(ctx.app).get(`${API}/store/item/${item.id}`).set("Authorization", auth);
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ detail: "Item not found" });
    const update = await request(ctx.app)
      .put(`${API}/store/item`)
      .set("Authorization", auth)
      .send({ ...itemBody({ balance: 0 }), id: item.id });
    expect(update.status).toBe(404);
    const del = await request(ctx.app).delete(`${API}/store/item/${item.id}`).set("Authorization", auth);
    expect(del.status).toBe(404);
    const untouched = await request(ctx.app)
      .get(`${API}/store/item/${item.id}`)
      .set("Authorization", bearer(theirs.token));
    expect(untouched.body.balance).toBe(7);
    const list = await request(ctx.app).get(`${API}/store/items`).set("Authorization", auth);
    expect(list.body.total).toBe(0);
  });

  it("rejects negative stock or price and over-long fields with 422", async () => {
    const { token } = await storeWithTerminal(ctx);
    for (const body of [
      itemBody({ balance: -1 }),
      itemBody({ price_penny: -5 }),
      itemBody({ balance: 2 ** 31 }),
      itemBody({ name: "x".repeat(51) }),
      itemBody({ category: "x".repeat(101) }),
      { ...itemBody(), balance: "three" },
      { ...itemBody(), balance: "3.5" },
      { ...itemBody(), price_penny: "-5" },
      { ...itemBody(), balance: true },
      itemBody({ name: "tea\u0000" }),
      itemBody({ description: "\u0000" }),
      // Unpaired UTF-16 surrogates cannot be stored (Prisma refuses them): 422, not 500.
      itemBody({ name: "tea\ud800" }),
      itemBody({ category: "\udc00food" }),
    ]) {
      const res = await request(ctx.app)
        .post(`${API}/store/item`)
        .set("Authorization", bearer(token))
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const badId = await request(ctx.app).get(`${API}/store/item/123`).set("Authorization", bearer(token));
    expect(badId.status).toBe(422);
  });

  it("accepts balance and price as strings of digits, as the reference's DebugConsole sends them", async () => {
    const { token } = await storeWithTerminal(ctx);
    const created = await request(ctx.app)
      .post(`${API}/store/item`)
      .set("Authorization", bearer(token))
      .send({ ...itemBody({ name: "Mug" }), balance: "7", price_penny: "45000" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: "Mug", balance: 7, price_penny: 45000 });
    const updated = await request(ctx.app)
      .put(`${API}/store/item`)
      .set("Authorization", bearer(token))
      .send({ ...itemBody({ name: "Mug" }), id: created.body.id, balance: " 4 ", price_penny: "40000" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ balance: 4, price_penny: 40000 });
    expect(await itemBalance(ctx, token, created.body.id)).toBe(4);
  });

  it("enforces balance >= 0 and price >= 0 in the database itself", async () => {
    const { token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token);
    await expect(
      ctx.db.storeItem.update({ where: { id: item.id }, data: { balance: -1 } }),
    ).rejects.toThrow();
    await expect(
      ctx.db.storeItem.update({ where: { id: item.id }, data: { pricePenny: -1 } }),
    ).rejects.toThrow();
  });

  it("requires a terminal token, and a terminal of a deleted store gets 404 Store not found", async () => {
    expect((await request(ctx.app).get(`${API}/store/items`)).status).toBe(401);
    expect(
      (
        await request(ctx.app)
          .get(`${API}/store/items`)
          .set("Authorization", bearer(await robotToken(ctx)))
      ).status,
    ).toBe(401);
    const orphan = await terminalToken(ctx, randomUUID());
    const res = await request(ctx.app)
      .post(`${API}/store/item`)
      .set("Authorization", bearer(orphan))
      .send(itemBody());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Store not found" });
  });

  it("keeps purchase history (what was sold, at what price) after the item is deleted", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, { name: "Souvenir train", price_penny: 45000, balance: 2 });
    const userId = randomUUID();
    await request(ctx.app)
      .post(`${API}/robot/store/${store.id}/make_purchase`)
      .set("Authorization", bearer(await robotToken(ctx)))
      .send({ user_id: userId, items: [{ item_id: item.id, count: 1 }], is_default_ready: false })
      .expect(200);
    await request(ctx.app)
      .delete(`${API}/store/item/${item.id}`)
      .set("Authorization", bearer(token))
      .expect(200);

    const history = await request(ctx.app)
      .get(`${API}/internal/users/${userId}/purchases`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(history.body.items[0].items).toEqual([
      { item_id: item.id, name: "Souvenir train", count: 1, price_penny: 45000 },
    ]);
    const tasks = await request(ctx.app).get(`${API}/store/tasks`).set("Authorization", bearer(token));
    expect(tasks.body.items[0].purchase.items[0]).toMatchObject({ item_id: item.id, count: 1 });
  });
  describe("relative stock changes", () => {
    const adjust = (token: string, itemId: string, delta: unknown) =>
      request(ctx.app)
        .post(`${API}/store/item/${itemId}/stock`)
        .set("Authorization", bearer(token))
        .send({ delta });

    it("adds deliveries and removes write-offs, never below zero", async () => {
      const { token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 4 });
      const delivered = await adjust(token, item.id, 6);
      expect(delivered.status).toBe(200);
      expect(delivered.body).toMatchObject({ id: item.id, balance: 10 });
      expect((await adjust(token, item.id, -3)).body.balance).toBe(7);
      const tooMany = await adjust(token, item.id, -8);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toEqual({ detail: "Not enough items" });
      const overflow = await adjust(token, item.id, 2_147_483_647);
      expect(overflow.status).toBe(400);
      expect(overflow.body).toEqual({ detail: "Stock would exceed the maximum balance" });
      expect(await itemBalance(ctx, token, item.id)).toBe(7);
      for (const bad of [0, 1.5, "3", null]) expect((await adjust(token, item.id, bad)).status).toBe(422);
    });

    it("cannot change another store's item", async () => {
      const mine = await storeWithTerminal(ctx);
      const theirs = await storeWithTerminal(ctx);
      const item = await createItem(ctx, theirs.token, { balance: 2 });
      const res = await adjust(mine.token, item.id, 5);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: "Item not found" });
      expect(await itemBalance(ctx, theirs.token, item.id)).toBe(2);
    });

    it("loses no sale and no delivery when both happen at once", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token, { balance: 10 });
      const robot = await robotToken(ctx);
      const sale = () =>
        request(ctx.app)
          .post(`${API}/robot/store/${store.id}/make_purchase`)
          .set("Authorization", bearer(robot))
          .send({ user_id: randomUUID(), items: [{ item_id: item.id, count: 1 }], is_default_ready: true });
      const results = await raceOnLockedItem(ctx, item.id, 10, () =>
        Promise.all([
          ...Array.from({ length: 10 }, sale),
          ...Array.from({ length: 10 }, () => adjust(token, item.id, 5)),
        ]),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(await itemBalance(ctx, token, item.id)).toBe(10 - 10 + 10 * 5);
    });
  });
});
