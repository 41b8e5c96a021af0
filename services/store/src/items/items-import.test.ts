import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { API, bearer, engineerToken, itemBody, serviceToken, storeWithTerminal } from "../../test/helpers.js";
import { Privilege } from "@rail/common";

describe("bulk item import (POST /admin/store/{id}/items/import)", () => {
  let ctx: TestContext;
  let admin: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await engineerToken(ctx, Privilege.ADMIN);
  });
  afterAll(async () => ctx?.close());

  const importItems = (storeId: string, items: unknown[], token = admin) =>
    request(ctx.app)
      .post(`${API}/admin/store/${storeId}/items/import`)
      .set("Authorization", bearer(token))
      .send({ items });
  const itemNames = async (token: string) =>
    (
      await request(ctx.app).get(`${API}/store/items?size=100`).set("Authorization", bearer(token))
    ).body.items.map((i: { name: string }) => i.name);

  it("stores every row, in order, and the terminal sees them", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const rows = [
      itemBody({ name: "Tea", price_penny: 9900 }),
      { ...itemBody({ name: "Magnet" }), category: "train_souvenirs", balance: "12", price_penny: "45000" },
    ];
    const res = await importItems(store.id, rows);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(2);
    expect(res.body.items).toMatchObject([
      { name: "Tea", price_penny: 9900, category: "food" },
      { name: "Magnet", balance: 12, price_penny: 45000, category: "train_souvenirs" },
    ]);
    expect((await itemNames(token)).sort()).toEqual(["Magnet", "Tea"]);
  });

  it("stores nothing when one row is invalid, naming the row and field", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const res = await importItems(store.id, [
      itemBody({ name: "Fine" }),
      itemBody({ name: "Also fine" }),
      { ...itemBody({ name: "Broken" }), price_penny: -1 },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([expect.objectContaining({ loc: ["body", "items", 2, "price_penny"] })]);
    expect(await itemNames(token)).toEqual([]);
  });

  it("needs ADMIN (or the service token), a known store and 1 to 5000 rows", async () => {
    const { store } = await storeWithTerminal(ctx);
    expect(
      (await importItems(store.id, [itemBody()], await engineerToken(ctx, Privilege.ROBOT_ADMIN))).status,
    ).toBe(403);
    expect(
      (await importItems(store.id, [itemBody()], await ctx.sessions.create("store", store.id))).status,
    ).toBe(401);
    expect((await importItems(store.id, [itemBody()], serviceToken(ctx))).status).toBe(200);
    const unknown = await importItems(randomUUID(), [itemBody()]);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "Store not found" });
    expect((await importItems(store.id, [])).status).toBe(422);
    expect(
      (
        await importItems(
          store.id,
          Array.from({ length: 5001 }, () => itemBody()),
        )
      ).status,
    ).toBe(422);
  });
});
