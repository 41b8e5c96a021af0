import { randomUUID } from "node:crypto";
import request from "supertest";
import { describe, expect } from "vitest";
import { testWithServices, type TestContext } from "../../test/fixtures.js";
import { seedStation, seedTrain } from "../../test/railway.js";
import {
  API,
  adminToken,
  bearer,
  loginClient,
  newRsaClient,
  robotSession,
  type StubHandler,
  type StubService,
} from "../../test/helpers.js";

const known = new Map<string, string>();

const storeContract: StubHandler = ({ method, path }) => {
  const m = /^\/store_api\/v1\/admin\/store\/([^/]+)$/.exec(path);
  const id = m ? decodeURIComponent(m[1]!) : null;
  if (method === "GET" && id && known.has(id)) {
    return {
      status: 200,
      body: {
        id,
        name: known.get(id),
        description: "",
        logo_url: "",
        store_type: "SHOP",
        items: [
          {
            id: `${id.slice(0, 24)}000000000001`,
            name: "Tea",
            description: "",
            logo_url: "tea.jpg",
            balance: 3,
            price_penny: 9900,
            category: "food",
          },
        ],
      },
    };
  }
  return { status: 404, body: { detail: "Store not found" } };
};

const train = { train_number: 1012, train_date: "2026-05-01T02:00:00Z" };

interface TrainStoresFixture {
  ctx: TestContext;
  storeService: StubService;
  admin: string;
  robot: string;
  bind: (storeId: string, body?: Record<string, unknown>) => request.Test;
}

/**
 * Per file: the app with a stub store service speaking the contract above, the tokens and the runs these tests
 * bind stores to; `s` hands them to each test with the `bind` helper.
 */
const it = testWithServices.extend<{ tokens: { admin: string; robot: string }; s: TrainStoresFixture }>({
  tokens: [
    async ({ ctx, store }, use) => {
      store.handler = storeContract;
      // Bindings name runs: the runs these tests bind stores to.
      for (const [number, departure] of [
        [1012, "2026-05-01T02:00:00Z"],
        [2013, "2026-05-02T06:00:00Z"],
        [3000, "2026-05-03T06:00:00Z"],
        [1186, "2026-05-04T06:00:00Z"],
        [4100, "2026-05-05T06:00:00Z"],
      ] as const)
        await seedTrain(ctx.db, { number, departures: [departure] });
      await use({ admin: await adminToken(ctx), robot: (await robotSession(ctx)).token });
    },
    { scope: "file" },
  ],
  s: async ({ ctx, store, tokens }, use) =>
    use({
      ctx,
      storeService: store,
      ...tokens,
      bind: (storeId, body = train) =>
        request(ctx.app).post(`${API}/admin/store/${storeId}/train`).set(bearer(tokens.admin)).send(body),
    }),
});

describe("train stores", () => {
  it("binds stores the store service knows, once per train run", async ({ s: { ctx, admin, bind } }) => {
    const storeId = randomUUID();
    known.set(storeId, "Buffet");
    expect((await bind(storeId)).status).toBe(200);
    const again = await bind(storeId);
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ detail: "Binding already exists" });
    const unknown = await bind(randomUUID());
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: "Store id not found" });
    const noRun = await bind(storeId, { ...train, train_date: "2026-05-01T03:00:00Z" });
    expect(noRun.status).toBe(422);
    expect(noRun.body.detail).toMatch(/^No run of train 1012 departs at 2026-05-01T03:00:00.000Z/);
    const ids = await request(ctx.app).get(`${API}/admin/train/stores`).set(bearer(admin)).send(train);
    expect(ids.status).toBe(200);
    expect(ids.body).toEqual({ items: [storeId], total: 1, page: 1, size: 50, pages: 1 });
  });

  it("gives robots the stores of a train run on both routes (ids in `items` on the robot client's one)", async ({
    s: { ctx, robot, bind },
  }) => {
    const storeId = randomUUID();
    known.set(storeId, "Souvenirs");
    const run = { train_number: 2013, train_date: "2026-05-02T06:00:00Z" };
    expect((await bind(storeId, run)).status).toBe(200);
    const viaBody = await request(ctx.app).get(`${API}/robot/train/stores`).set(bearer(robot)).send(run);
    expect(viaBody.status).toBe(200);
    expect(viaBody.body).toEqual([
      expect.objectContaining({ id: storeId, name: "Souvenirs", store_type: "SHOP" }),
    ]);
    const viaPath = await request(ctx.app)
      .get(`${API}/robot/train/2013/stores`)
      .query({ train_date: "2026-05-02T09:00:00+03:00" })
      .set(bearer(robot));
    expect(viaPath.status).toBe(200);
    expect(viaPath.body).toEqual({
      items: [storeId],
      run_id: expect.any(String),
      train_number: 2013,
      train_date: "2026-05-02T06:00:00.000Z",
    });
    const unknownTrain = await request(ctx.app)
      .get(`${API}/robot/train/9999/stores`)
      .query({ train_date: run.train_date })
      .set(bearer(robot));
    expect(unknownTrain.status).toBe(404);
    expect(unknownTrain.body).toEqual({ detail: "No run of train 9999 departs at 2026-05-02T06:00:00.000Z" });
    expect(
      (
        await request(ctx.app)
          .get(`${API}/robot/train/-1/stores`)
          .query({ train_date: run.train_date })
          .set(bearer(robot))
      ).status,
    ).toBe(422);
    expect((await request(ctx.app).get(`${API}/robot/train/1/stores`).set(bearer(robot))).body).toEqual({
      detail: "Train not found",
    });
  });

  it("without a date answers for the train's current run: the one in progress, else today's next", async ({
    s: { ctx, robot, bind },
  }) => {
    const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
    const current = (n: number) => request(ctx.app).get(`${API}/robot/train/${n}/stores`).set(bearer(robot));
    // 5001 left 1 h ago on a 4 h trip; another run of it leaves in 2 days.
    const running = minute(Date.now() - 3600_000);
    const runs = await seedTrain(ctx.db, {
      number: 5001,
      departures: [running, minute(Date.now() + 2 * 86_400_000)],
    });
    const onBoard = randomUUID();
    known.set(onBoard, "Dining car");
    expect((await bind(onBoard, { train_number: 5001, train_date: running })).status).toBe(200);
    const res = await current(5001);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [onBoard],
      run_id: runs.get(running),
      train_number: 5001,
      train_date: running,
    });
    // 5002 has only a run that arrived yesterday and one next week: nothing current.
    await seedTrain(ctx.db, {
      number: 5002,
      departures: [minute(Date.now() - 86_400_000), minute(Date.now() + 7 * 86_400_000)],
    });
    expect((await current(5002)).body).toEqual({
      detail: "Train 5002 has no run in progress or departing today",
    });
    // 5003 starts at a station where it is now between 01:00 and 13:00 (a fixed-offset zone picked so), so a run
    // in 2 hours is still today there and is the current one, while one in 2 days is not.
    const zone = Array.from({ length: 27 }, (_, i) => i - 12)
      .map((h) => `Etc/GMT${h < 0 ? "+" : "-"}${Math.abs(h)}`.replace("GMT-0", "GMT+0"))
      .find((z) => {
        const hour = Number(
          new Intl.DateTimeFormat("en-GB", { timeZone: z, hour: "2-digit", hourCycle: "h23" }).format(
            new Date(),
          ),
        );
        return hour >= 1 && hour < 13;
      })!;
    await seedStation(ctx.db, "DAWN", zone);
    const soon = minute(Date.now() + 2 * 3600_000);
    const next = await seedTrain(ctx.db, {
      number: 5003,
      stops: [
        ["DAWN", 0],
        ["SPB", 60],
      ],
      departures: [minute(Date.now() + 2 * 86_400_000), soon],
    });
    expect((await current(5003)).body).toMatchObject({ run_id: next.get(soon), train_date: soon, items: [] });
  });

  it("accepts the DebugConsole's digit-string train number when binding (pydantic was lax)", async ({
    s: { ctx, admin, bind },
  }) => {
    const storeId = randomUUID();
    known.set(storeId, "Console shop");
    const run = { train_number: "1186", train_date: "2026-05-04T06:00:00Z" };
    expect((await bind(storeId, run)).status).toBe(200);
    const listed = await request(ctx.app).get(`${API}/admin/train/stores`).set(bearer(admin)).send(run);
    expect(listed.body.items).toEqual([storeId]);
    expect((await bind(storeId, { ...run, train_number: "11x6" })).status).toBe(422);
  });

  it("takes the train run of the GET-with-body routes from query parameters too (body wins)", async ({
    s: { ctx, admin, robot, bind },
  }) => {
    const storeId = randomUUID();
    known.set(storeId, "Query kiosk");
    const run = { train_number: 4100, train_date: "2026-05-05T06:00:00Z" };
    expect((await bind(storeId, run)).status).toBe(200);
    const adminList = await request(ctx.app)
      .get(`${API}/admin/train/stores`)
      .query({ ...run, size: 10 })
      .set(bearer(admin));
    expect(adminList.status).toBe(200);
    expect(adminList.body).toEqual({ items: [storeId], total: 1, page: 1, size: 10, pages: 1 });
    const robotList = await request(ctx.app).get(`${API}/robot/train/stores`).query(run).set(bearer(robot));
    expect(robotList.status).toBe(200);
    expect(robotList.body).toEqual([expect.objectContaining({ id: storeId, name: "Query kiosk" })]);
    // A field in both places is the body's: here the body names another run, which has no stores.
    const bodyWins = await request(ctx.app)
      .get(`${API}/robot/train/stores`)
      .query(run)
      .set(bearer(robot))
      .send({ train_number: 4101 });
    expect(bodyWins.body).toEqual([]);
    const missing = await request(ctx.app)
      .get(`${API}/robot/train/stores`)
      .query({ train_number: 4100 })
      .set(bearer(robot));
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([
      expect.objectContaining({ type: "missing", loc: ["body", "train_date"], msg: "Field required" }),
    ]);
    const nothing = await request(ctx.app).get(`${API}/admin/train/stores`).set(bearer(admin));
    expect(nothing.status).toBe(422);
  });

  it("unbinds idempotently", async ({ s: { ctx, admin, robot, bind } }) => {
    const storeId = randomUUID();
    known.set(storeId, "Gone soon");
    const run = { train_number: 3000, train_date: "2026-05-03T06:00:00Z" };
    await bind(storeId, run);
    const unbind = () =>
      request(ctx.app).delete(`${API}/admin/store/${storeId}/train/unbind`).set(bearer(admin)).send(run);
    expect((await unbind()).status).toBe(200);
    expect((await unbind()).status).toBe(200);
    const left = await request(ctx.app)
      .get(`${API}/robot/train/3000/stores`)
      .query({ train_date: run.train_date })
      .set(bearer(robot));
    expect(left.body.items).toEqual([]);
  });

  it("answers 503 when the store service is down, while other routes keep working", async ({
    s: { ctx, storeService, admin, robot, bind },
  }) => {
    storeService.handler = () => ({ status: 500, body: { detail: "boom" } });
    try {
      const list = await request(ctx.app).get(`${API}/robot/train/stores`).set(bearer(robot)).send(train);
      expect(list.status).toBe(503);
      expect(list.body).toEqual({ detail: "Store service unavailable" });
      const bindDown = await bind(randomUUID());
      expect(bindDown.status).toBe(503);
      expect(
        (await request(ctx.app).get(`${API}/admin/train/stores`).set(bearer(admin)).send(train)).status,
      ).toBe(200);
    } finally {
      storeService.handler = storeContract;
    }
  });

  it("forgets a store the store service deletes: its bindings and its terminal (service token or ADMIN only)", async ({
    s: { ctx, admin, robot, bind },
  }) => {
    const storeId = randomUUID();
    const other = randomUUID();
    known.set(storeId, "Doomed");
    known.set(other, "Staying");
    for (const body of [train, { train_number: 2013, train_date: "2026-05-02T06:00:00Z" }])
      expect((await bind(storeId, body)).status).toBe(200);
    expect((await bind(other, train)).status).toBe(200);
    // The store's terminal, enrolled and logged in.
    const terminal = newRsaClient();
    const enrol = await request(ctx.app).post(`${API}/auth/store/new_login`).send({
      login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
      password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
      public_key: terminal.publicKey,
      store_id: storeId,
    });
    expect(enrol.status).toBe(200);
    const terminalToken = await loginClient(ctx, "store", storeId, terminal);
    const path = `${API}/internal/stores/${storeId}`;

    for (const token of [undefined, robot, "not-a-token"]) {
      const r = request(ctx.app).delete(path);
      const res = await (token ? r.set(bearer(token)) : r);
      expect([401, 403]).toContain(res.status);
    }
    expect(await ctx.db.trainStore.count({ where: { storeId } })).toBe(2);

    expect(await ctx.sessions.validate("store", terminalToken)).not.toBeNull();

    const res = await request(ctx.app).delete(path).set(bearer(ctx.config.INTERNAL_SERVICE_TOKEN));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "OK", bindings_removed: 2 });
    expect(await ctx.db.trainStore.count({ where: { storeId } })).toBe(0);
    expect(await ctx.db.activeStore.count({ where: { id: storeId } })).toBe(0);
    expect(await ctx.sessions.validate("store", terminalToken)).toBeNull();
    expect(await ctx.db.trainStore.count({ where: { storeId: other } })).toBe(1);
    const again = await request(ctx.app).delete(path).set(bearer(admin));
    expect(again.body).toEqual({ status: "OK", bindings_removed: 0 });
    const listed = await request(ctx.app)
      .get(`${API}/admin/train/stores?train_number=${train.train_number}&train_date=${train.train_date}`)
      .set(bearer(admin));
    expect(listed.body.items).toContain(other);
    expect(listed.body.items).not.toContain(storeId);
    expect((await request(ctx.app).delete(`${API}/internal/stores/nope`).set(bearer(admin))).status).toBe(
      422,
    );
  });
});
