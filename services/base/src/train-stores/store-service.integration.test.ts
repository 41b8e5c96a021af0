import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/fixtures.js";
import { API, adminToken, bearer, loginClient, newRsaClient, robotSession } from "../../test/helpers.js";

// The real store service, started in-process from its own test fixture (its own fresh database, same Redis).
// Loaded by path at run time so this package's typecheck does not depend on the store service's sources.
const STORE_FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../store/test/fixtures.ts",
);
type StoreTestContext = { app: Express; close: () => Promise<void> };
type StoreFixtures = { createTestContext: (env?: Record<string, string>) => Promise<StoreTestContext> };

describe.skipIf(!existsSync(STORE_FIXTURES))("with the real store service", () => {
  let fixtures: StoreFixtures;
  let store: StoreTestContext;
  let storeServer: Server;
  let ctx: TestContext;
  let admin: string;
  let storeId: string;
  const serviceToken = () => ctx.config.INTERNAL_SERVICE_TOKEN;

  beforeAll(async () => {
    fixtures = (await import(/* @vite-ignore */ pathToFileURL(STORE_FIXTURES).href)) as StoreFixtures;
    store = await fixtures.createTestContext();
    storeServer = await new Promise<Server>((resolve) => {
      const s = store.app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (storeServer.address() as AddressInfo).port;
    ctx = await createTestContext({ STORE_API_URL: `http://127.0.0.1:${port}/store_api/v1` });
    admin = await adminToken(ctx);
    const created = await request(store.app)
      .post("/store_api/v1/admin/store")
      .set(bearer(serviceToken()))
      .send({
        name: `Buffet ${randomUUID().slice(0, 8)}`,
        description: "Hot meals",
        logo_url: "/static/logos/1.png",
        store_type: "RESTAURANT",
      });
    expect(created.status).toBe(200);
    storeId = created.body.id;
  });
  afterAll(async () => {
    await ctx?.close();
    await new Promise((resolve) => storeServer?.close(resolve));
    await store?.close();
  });

  it("binds a store to a train run and lists it for robots", async () => {
    const run = { train_number: 1014, train_date: "2026-05-01T10:00:00Z" };
    const bind = await request(ctx.app)
      .post(`${API}/admin/store/${storeId}/train`)
      .set(bearer(admin))
      .send(run);
    expect(bind.status).toBe(200);
    const unknown = await request(ctx.app)
      .post(`${API}/admin/store/${randomUUID()}/train`)
      .set(bearer(admin))
      .send(run);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "Store id not found" });
    const robot = await robotSession(ctx);
    const stores = await request(ctx.app)
      .get(`${API}/robot/train/1014/stores`)
      .query({ train_date: run.train_date })
      .set(bearer(robot.token));
    expect(stores.status).toBe(200);
    expect(stores.body).toEqual([expect.objectContaining({ id: storeId, store_type: "RESTAURANT" })]);
    // the same robot token works on the store service (shared session contract)
    const list = await request(store.app)
      .post("/store_api/v1/robot/stores/list")
      .set(bearer(robot.token))
      .send({ ids: [storeId] });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([expect.objectContaining({ id: storeId })]);
    expect(
      (
        await request(store.app)
          .post("/store_api/v1/robot/stores/list")
          .send({ ids: [storeId] })
      ).status,
    ).toBe(401);
  });

  it("enrols a store terminal whose token the store service accepts", async () => {
    const client = newRsaClient();
    const enrol = await request(ctx.app).post(`${API}/auth/store/new_login`).send({
      login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
      public_key: client.publicKey,
      store_id: storeId,
    });
    expect(enrol.status).toBe(200);
    expect(enrol.body).toMatchObject({ id: storeId, items: [] });
    const token = await loginClient(ctx, "store", storeId, client);
    const items = await request(store.app).get("/store_api/v1/store/items").set(bearer(token));
    expect(items.status).toBe(200);
    expect(items.body).toMatchObject({ items: [], total: 0 });
  });
  it("lets the store service refuse purchases for passengers the base service does not know", async () => {
    const baseServer = await new Promise<Server>((resolve) => {
      const s = ctx.app.listen(0, "127.0.0.1", () => resolve(s));
    });
    const basePort = (baseServer.address() as AddressInfo).port;
    const checkingStore = await fixtures.createTestContext({
      VERIFY_BUYERS_WITH_BASE: "true",
      BASE_API_URL: `http://127.0.0.1:${basePort}${API}`,
    });
    try {
      const shop = await request(checkingStore.app)
        .post("/store_api/v1/admin/store")
        .set(bearer(serviceToken()))
        .send({
          name: `Kiosk ${randomUUID().slice(0, 8)}`,
          description: "Snacks",
          logo_url: "k.png",
          store_type: "SHOP",
        });
      // A terminal session for that store, created the way the base service's login does (shared Redis).
      const terminal = await ctx.sessions.create("store", shop.body.id);
      const item = await request(checkingStore.app)
        .post("/store_api/v1/store/item")
        .set(bearer(terminal))
        .send({
          name: "Tea",
          description: "Black tea",
          logo_url: "tea.jpg",
          balance: 3,
          price_penny: 9900,
          category: "food",
        });
      expect(item.status).toBe(200);
      const robot = await robotSession(ctx);
      const passenger = await request(ctx.app)
        .post(`${API}/admin/user`)
        .set(bearer(admin))
        .send({ name: `buyer-${randomUUID()}` });
      const buy = (userId: string) =>
        request(checkingStore.app)
          .post(`/store_api/v1/robot/store/${shop.body.id}/make_purchase`)
          .set(bearer(robot.token))
          .send({ user_id: userId, items: [{ item_id: item.body.id, count: 1 }], is_default_ready: false });
      const stranger = await buy(randomUUID());
      expect(stranger.status).toBe(404);
      expect(stranger.body).toEqual({ detail: "User not found" });
      const known = await buy(passenger.body.id);
      expect(known.status).toBe(200);
      expect(known.body).toMatchObject({ user_id: passenger.body.id, total_penny: 9900 });
    } finally {
      await checkingStore.close();
      await new Promise((resolve) => baseServer.close(resolve));
    }
  });
});
