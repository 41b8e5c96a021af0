import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { testWithRobot, type TestContext } from "../../test/fixtures.js";
import { API, bearer, createItem, storeWithTerminal } from "../../test/helpers.js";

/** Helpers over the file's app for each test, buying as the file's robot. */
const helpers = (ctx: TestContext, robot: string) => {
  async function buy(storeId: string, userId: string, lines: [string, number][], minutesAgo: number) {
    const res = await request(ctx.app)
      .post(`${API}/robot/store/${storeId}/make_purchase`)
      .set("Authorization", bearer(robot))
      .send({
        user_id: userId,
        items: lines.map(([item_id, count]) => ({ item_id, count })),
        is_default_ready: true,
      });
    if (res.status !== 200) throw new Error(`buy: ${res.status} ${JSON.stringify(res.body)}`);
    // Real timestamps: place each purchase at a distinct, known moment.
    await ctx.db.purchase.update({
      where: { id: res.body.id },
      data: { createdAt: new Date(Date.now() - minutesAgo * 60_000) },
    });
  }
  const recommend = (storeId: string, userId: string, query = "") =>
    request(ctx.app)
      .get(`${API}/robot/store/${storeId}/user/${userId}/recommendations${query}`)
      .set("Authorization", bearer(robot));
  return { buy, recommend };
};

const it = testWithRobot.extend<{ h: ReturnType<typeof helpers> }>({
  h: async ({ ctx, robot }, use) => use(helpers(ctx, robot)),
});

describe("recommendations", () => {
  it("orders 2 latest, then 4 most bought by the user, then the store's 2 best sellers, without duplicates", async ({
    ctx,
    h: { buy, recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const items = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createItem(ctx, token, { name: `I${i}`, balance: 1000 })),
    );
    const id = (i: number) => items[i]!.id;
    const user = randomUUID();
    const someoneElse = randomUUID();
    // The user's favourites by units: I2 (9), I3 (8), I4 (7), I5 (6), I6 (5).
    await buy(
      store.id,
      user,
      [
        [id(2), 9],
        [id(3), 8],
        [id(4), 7],
        [id(5), 6],
        [id(6), 5],
      ],
      100,
    );
    // Latest purchases: I1 (5 min ago), I0 (10 min ago); I7 bought long ago.
    await buy(store.id, user, [[id(7), 1]], 90);
    await buy(store.id, user, [[id(0), 1]], 10);
    await buy(store.id, user, [[id(1), 1]], 5);
    // Store best sellers: I8 (50), I9 (40), ahead of everything the user bought.
    await buy(
      store.id,
      someoneElse,
      [
        [id(8), 50],
        [id(9), 40],
      ],
      1,
    );

    const res = await recommend(store.id, user);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual([
      "I1",
      "I0",
      "I2",
      "I3",
      "I4",
      "I5",
      "I8",
      "I9",
    ]);
    expect(res.body).toMatchObject({ total: 8, page: 1, size: 50, pages: 1 });

    const page2 = await recommend(store.id, user, "?page=2&size=3");
    expect(page2.body.items.map((i: { name: string }) => i.name)).toEqual(["I3", "I4", "I5"]);
    expect(page2.body).toMatchObject({ total: 8, pages: 3 });
  });

  it("takes the 2 latest purchase lines, not 2 distinct items, as the reference did", async ({
    ctx,
    h: { buy, recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const [a, b, c] = await Promise.all(
      ["A", "B", "C"].map((name) => createItem(ctx, token, { name, balance: 100 })),
    );
    const user = randomUUID();
    // C is the user's favourite by units; B was bought before the two latest purchases, which are both A.
    await buy(store.id, user, [[c!.id, 5]], 60);
    await buy(store.id, user, [[b!.id, 1]], 30);
    await buy(store.id, user, [[a!.id, 1]], 20);
    await buy(store.id, user, [[a!.id, 1]], 10);
    // Part 1 = [A, A]; part 2 = [C (5), A (2), B (1)]; part 3 = [C, A]. De-duplicated: A, C, B.
    const res = await recommend(store.id, user);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(["A", "C", "B"]);
  });

  it("orders the latest lines by the purchases' real timestamps", async ({
    ctx,
    robot,
    h: { recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const [first, second, third] = await Promise.all(
      ["First", "Second", "Third"].map((name) => createItem(ctx, token, { name, balance: 100 })),
    );
    const user = randomUUID();
    for (const item of [first!, second!, third!]) {
      const res = await request(ctx.app)
        .post(`${API}/robot/store/${store.id}/make_purchase`)
        .set("Authorization", bearer(robot))
        .send({ user_id: user, items: [{ item_id: item.id, count: 1 }], is_default_ready: true });
      expect(res.status).toBe(200);
    }
    const dates = (
      await ctx.db.purchase.findMany({ where: { storeId: store.id }, orderBy: { createdAt: "asc" } })
    ).map((p) => p.createdAt.getTime());
    expect(new Set(dates).size).toBe(3);
    const res = await recommend(store.id, user);
    expect(res.body.items.map((i: { name: string }) => i.name).slice(0, 2)).toEqual(["Third", "Second"]);
  });

  it("orders the lines of the latest purchase as they were bought", async ({
    ctx,
    h: { buy, recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const [x, y, z] = await Promise.all(
      ["X", "Y", "Z"].map((name) => createItem(ctx, token, { name, balance: 100 })),
    );
    const user = randomUUID();
    await buy(
      store.id,
      user,
      [
        [z!.id, 1],
        [x!.id, 1],
        [y!.id, 1],
      ],
      5,
    );
    // Part 1 = the purchase's first two lines (Z, X); parts 2 and 3 tie on units and add Y.
    const res = await recommend(store.id, user);
    expect(res.body.items.map((i: { name: string }) => i.name).slice(0, 2)).toEqual(["Z", "X"]);
    expect(res.body.total).toBe(3);
  });

  it("gives a new passenger the store's two best sellers and drops deleted items", async ({
    ctx,
    h: { buy, recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map((n) => createItem(ctx, token, { name: `N${n}`, balance: 100 })),
    );
    await buy(
      store.id,
      randomUUID(),
      [
        [a!.id, 5],
        [b!.id, 3],
        [c!.id, 1],
      ],
      1,
    );
    const fresh = await recommend(store.id, randomUUID());
    expect(fresh.body.items.map((i: { name: string }) => i.name)).toEqual(["N1", "N2"]);
    await request(ctx.app)
      .delete(`${API}/store/item/${a!.id}`)
      .set("Authorization", bearer(token))
      .expect(200);
    const after = await recommend(store.id, randomUUID());
    expect(after.body.items.map((i: { name: string }) => i.name)).toEqual(["N2", "N3"]);
  });

  it("only uses this store's purchases, and validates ids and auth", async ({
    ctx,
    h: { buy, recommend },
  }) => {
    const { store, token } = await storeWithTerminal(ctx);
    const other = await storeWithTerminal(ctx);
    const mine = await createItem(ctx, token, { balance: 10 });
    const theirs = await createItem(ctx, other.token, { balance: 10 });
    const user = randomUUID();
    await buy(other.store.id, user, [[theirs.id, 3]], 1);
    expect((await recommend(store.id, user)).body.items).toEqual([]);
    await buy(store.id, user, [[mine.id, 1]], 1);
    expect((await recommend(store.id, user)).body.items.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    expect((await recommend("x", user)).status).toBe(422);
    expect(
      (await request(ctx.app).get(`${API}/robot/store/${store.id}/user/${user}/recommendations`)).status,
    ).toBe(401);
  });
});
