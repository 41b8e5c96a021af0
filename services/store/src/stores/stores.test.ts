import { randomUUID } from "node:crypto";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Privilege, sessionKey } from "@rail/common";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import {
  API,
  bearer,
  createItem,
  createStore,
  engineerToken,
  robotToken,
  serviceToken,
  storeWithTerminal,
} from "../../test/helpers.js";

describe("stores", () => {
  let ctx: TestContext;
  let admin: string;
  let robot: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    admin = await engineerToken(ctx, Privilege.ADMIN);
    robot = await robotToken(ctx);
  });
  afterAll(async () => ctx?.close());

  const storeBody = (name = `Shop ${randomUUID().slice(0, 8)}`) => ({
    name,
    description: "Souvenirs",
    logo_url: "/static/logos/stores/1.png",
    store_type: "SHOP",
  });

  describe("admin authentication", () => {
    it("rejects admin routes without a token, with a robot token, or with a bad service token", async () => {
      for (const auth of [undefined, bearer(robot), bearer("not-the-service-token"), "Bearer"]) {
        const req = request(ctx.app).get(`${API}/admin/stores`);
        if (auth) req.set("Authorization", auth);
        const res = await req;
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ detail: "Invalid credentials" });
      }
    });

    it("answers 403 to an engineer without the ADMIN bit", async () => {
      const engineer = await engineerToken(
        ctx,
        Privilege.ROBOT_LOGIN | Privilege.STORE_LOGIN | Privilege.ROBOT_ADMIN,
      );
      const res = await request(ctx.app)
        .post(`${API}/admin/store`)
        .set("Authorization", bearer(engineer))
        .send(storeBody());
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "Insufficient privileges" });
    });

    it("accepts an ADMIN engineer and the internal service token", async () => {
      expect(
        (await request(ctx.app).get(`${API}/admin/stores`).set("Authorization", bearer(admin))).status,
      ).toBe(200);
      expect(
        (
          await request(ctx.app)
            .get(`${API}/admin/stores`)
            .set("Authorization", `Token ${serviceToken(ctx)}`)
        ).status,
      ).toBe(200);
    });
  });

  it("creates a store and refuses a second one with the same name", async () => {
    const body = storeBody();
    const res = await request(ctx.app)
      .post(`${API}/admin/store`)
      .set("Authorization", bearer(admin))
      .send(body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...body, id: expect.stringMatching(/^[0-9a-f-]{36}$/), items: [] });
    const again = await request(ctx.app)
      .post(`${API}/admin/store`)
      .set("Authorization", bearer(admin))
      .send(body);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "Store with this name already exists" });
  });

  it("creates exactly one store when the same name is submitted concurrently", async () => {
    const body = storeBody();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(ctx.app).post(`${API}/admin/store`).set("Authorization", bearer(admin)).send(body),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
  });

  it("validates store input with 422", async () => {
    const cases = [
      { ...storeBody(), store_type: "KIOSK" },
      { ...storeBody(), name: "x".repeat(51) },
      { ...storeBody(), name: "" },
      { ...storeBody(), description: "x".repeat(256) },
      { ...storeBody(), name: "Kiosk\u0000" },
      { ...storeBody(), name: "Kiosk\ud83d" },
      { ...storeBody(), logo_url: "\ude00.png" },
      { name: "only a name" },
    ];
    for (const body of cases) {
      const res = await request(ctx.app)
        .post(`${API}/admin/store`)
        .set("Authorization", bearer(admin))
        .send(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.detail[0].loc[0]).toBe("body");
    }
  });

  it("returns a store with all its items, 404 for an unknown one and 422 for a non-UUID", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    const item = await createItem(ctx, token, {
      name: "Magnet",
      balance: 4,
      price_penny: 30000,
      category: "city_souvenirs",
    });
    const res = await request(ctx.app)
      .get(`${API}/admin/store/${store.id}`)
      .set("Authorization", bearer(serviceToken(ctx)));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        id: item.id,
        name: "Magnet",
        description: "Tasty",
        logo_url: "item.jpg",
        balance: 4,
        price_penny: 30000,
        category: "city_souvenirs",
      },
    ]);
    const missing = await request(ctx.app)
      .get(`${API}/admin/store/${randomUUID()}`)
      .set("Authorization", bearer(admin));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: "Store not found" });
    const invalid = await request(ctx.app).get(`${API}/admin/store/abc`).set("Authorization", bearer(admin));
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail[0].loc).toEqual(["path", "store_id"]);
  });

  it("pages stores in SQL order with the page envelope", async () => {
    const fresh = await createTestContext();
    try {
      const token = serviceToken(fresh);
      for (let i = 0; i < 3; i++) await createStore(fresh, { name: `Store ${i}` });
      const res = await request(fresh.app)
        .get(`${API}/admin/stores?page=2&size=2`)
        .set("Authorization", bearer(token));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, page: 2, size: 2, pages: 2 });
      expect(res.body.items.map((s: { name: string }) => s.name)).toEqual(["Store 2"]);
      expect(res.body.items[0].items).toEqual([]);
      const bad = await request(fresh.app)
        .get(`${API}/admin/stores?size=101`)
        .set("Authorization", bearer(token));
      expect(bad.status).toBe(422);
    } finally {
      await fresh.close();
    }
  });

  it("deletes a store with its items, and answers 404 the second time", async () => {
    const { store, token } = await storeWithTerminal(ctx);
    await createItem(ctx, token);
    const res = await request(ctx.app)
      .delete(`${API}/admin/store/${store.id}`)
      .set("Authorization", bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "OK" });
    expect(await ctx.db.storeItem.count({ where: { storeId: store.id } })).toBe(0);
    const again = await request(ctx.app)
      .delete(`${API}/admin/store/${store.id}`)
      .set("Authorization", bearer(admin));
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: "Store not found" });
  });

  describe("GET /admin/ids/stores", () => {
    it("takes the legacy JSON body on GET and skips unknown ids", async () => {
      const a = await createStore(ctx);
      const b = await createStore(ctx);
      const res = await request(ctx.app)
        .get(`${API}/admin/ids/stores`)
        .set("Authorization", bearer(serviceToken(ctx)))
        .send({ ids: [a.id, b.id, randomUUID()] });
      expect(res.status).toBe(200);
      expect(res.body.map((s: { id: string }) => s.id).sort()).toEqual([a.id, b.id].sort());
      expect(res.body.every((s: { items: unknown[] }) => s.items.length === 0)).toBe(true);
    });

    it("also takes ?ids= query parameters, repeated or comma-separated", async () => {
      const a = await createStore(ctx);
      const b = await createStore(ctx);
      const repeated = await request(ctx.app)
        .get(`${API}/admin/ids/stores?ids=${a.id}&ids=${b.id}`)
        .set("Authorization", bearer(serviceToken(ctx)));
      expect(repeated.status).toBe(200);
      expect(repeated.body.map((s: { id: string }) => s.id).sort()).toEqual([a.id, b.id].sort());
      const single = await request(ctx.app)
        .get(`${API}/admin/ids/stores?ids=${a.id}`)
        .set("Authorization", bearer(admin));
      expect(single.body.map((s: { id: string }) => s.id)).toEqual([a.id]);
      const comma = await request(ctx.app)
        .get(`${API}/admin/ids/stores?ids=${a.id},${b.id}`)
        .set("Authorization", bearer(admin));
      expect(comma.body).toHaveLength(2);
    });

    it("answers an empty list with [] and rejects bad ids, too many ids or no ids with 422", async () => {
      const empty = await request(ctx.app)
        .get(`${API}/admin/ids/stores`)
        .set("Authorization", bearer(admin))
        .send({ ids: [] });
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual([]);
      const bad = await request(ctx.app)
        .get(`${API}/admin/ids/stores?ids=nope`)
        .set("Authorization", bearer(admin));
      expect(bad.status).toBe(422);
      const tooMany = await request(ctx.app)
        .get(`${API}/admin/ids/stores`)
        .set("Authorization", bearer(admin))
        .send({ ids: Array.from({ length: 51 }, () => randomUUID()) });
      expect(tooMany.status).toBe(422);
      const none = await request(ctx.app).get(`${API}/admin/ids/stores`).set("Authorization", bearer(admin));
      expect(none.status).toBe(422);
      expect(none.body.detail[0]).toMatchObject({ type: "missing", loc: ["body", "ids"] });
    });
  });

  describe("robot routes", () => {
    it("GET /robot/store/{id} returns the store with items and needs a robot token", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token);
      const res = await request(ctx.app)
        .get(`${API}/robot/store/${store.id}`)
        .set("Authorization", bearer(robot));
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([item.id]);
      expect((await request(ctx.app).get(`${API}/robot/store/${store.id}`)).status).toBe(401);
      expect(
        (await request(ctx.app).get(`${API}/robot/store/${randomUUID()}`).set("Authorization", bearer(robot)))
          .status,
      ).toBe(404);
    });

    it("POST /robot/stores/list returns the known stores without items", async () => {
      const a = await createStore(ctx);
      const res = await request(ctx.app)
        .post(`${API}/robot/stores/list`)
        .set("Authorization", bearer(robot))
        .send({ ids: [a.id, randomUUID()] });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ ...a, items: [] }]);
      const noAuth = await request(ctx.app)
        .post(`${API}/robot/stores/list`)
        .send({ ids: [a.id] });
      expect(noAuth.status).toBe(401);
    });

    it("answers 422, never 500, to absurdly nested JSON on every route that takes a body", async () => {
      const { store, token } = await storeWithTerminal(ctx);
      const item = await createItem(ctx, token);
      const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
      const routes: [string, string, string][] = [
        ["post", "/admin/store", serviceToken(ctx)],
        ["get", "/admin/ids/stores", serviceToken(ctx)],
        ["post", "/robot/stores/list", robot],
        ["post", "/store/item", token],
        ["put", "/store/item", token],
        ["post", `/store/item/${item.id}/stock`, token],
        ["post", "/store/purchase", token],
        ["post", `/robot/store/${store.id}/make_purchase`, robot],
      ];
      for (const [method, path, auth] of routes) {
        // A deep value where a string or a list of ids belongs: echoing it back in the 422 used to overflow.
        for (const field of ["name", "ids", "user_id"]) {
          const agent = request(ctx.app);
          const res = await agent[method as "post"](`${API}${path}`)
            .set("Authorization", bearer(auth))
            .set("Content-Type", "application/json")
            .send(`{"${field}":${deep}}`);
          expect(res.status, `${method} ${path} ${field}`).toBe(422);
          expect(res.body.detail[0].msg).toBe("JSON must not be nested more than 64 levels deep");
        }
      }
    });

    it("slides a robot session's expiry on use", async () => {
      const token = await robotToken(ctx);
      await ctx.redis.expire(sessionKey("robot", token), 5);
      await request(ctx.app)
        .post(`${API}/robot/stores/list`)
        .set("Authorization", bearer(token))
        .send({ ids: [] })
        .expect(200);
      expect(await ctx.redis.ttl(sessionKey("robot", token))).toBeGreaterThan(5);
    });
  });
});
