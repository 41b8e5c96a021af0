import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPurchaseLoad } from "@rail/common/testing";
import { startOwnInfra, type OwnInfra } from "./infra.js";
import { startInstances, type InstanceName, type Instances } from "./instances.js";
import {
  ENTRY,
  ROOT,
  STACK_ENV,
  callUrl,
  createTokens,
  sleep,
  stack,
  until,
  type CallOptions,
  type Tokens,
} from "./support.js";

/**
 * Dependencies fail while the services keep running: each answer names what is missing (503 with a `detail`, no
 * 500, no hang), the services recover by themselves once it is back (no restart), nothing is lost or doubled.
 * The scenarios stop and start Postgres, Redis and Chroma of their own (test/infra.ts) under base, store and face
 * processes of their own: the development stack and whoever is using it notice nothing. Only the nginx check
 * stops the stack's face service for a moment. Each scenario restores what it stopped before the next.
 */
describe("fault scenarios", () => {
  let infra: OwnInfra;
  let services: Instances;
  let tokens: Tokens;
  const at = (service: InstanceName, method: string, p: string, opts?: CallOptions) =>
    callUrl(services.urls[service] + p, method, opts).catch(() => ({
      status: 0,
      body: {} as Record<string, unknown>,
    }));

  beforeAll(async () => {
    const started = Date.now();
    infra = await startOwnInfra(ROOT, STACK_ENV);
    const env = Object.fromEntries(
      Object.entries({ ...STACK_ENV, ...infra.env }).filter(
        (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith("VITEST"),
      ),
    );
    services = await startInstances(ROOT, env, "ready");
    tokens = await createTokens(services.env.REDIS_URL!);
    console.log(
      `reliability: fault scenarios' own Postgres, Redis, Chroma, base, store and face ready in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  });
  afterAll(async () => {
    await tokens?.close();
    await services?.close();
    await infra?.close();
  });

  it("Redis stopped: 503 Redis unavailable within 2 s; sessions work again after it returns", async () => {
    const probe = () =>
      at("store", "GET", "/robot/tasks/ready?train_number=1", { token: tokens.byKind.robot });
    expect((await probe()).status).toBe(200);
    await infra.stop("redis");
    try {
      // Within 2 s, no hang: a request racing the store's own notice of the lost connection may still be answered
      // from its in-memory session cache (packages/common/src/sessions.ts), the next ones name Redis.
      const started = Date.now();
      let down = await probe();
      while (down.status === 200 && Date.now() - started < 2_000) {
        await sleep(50);
        down = await probe();
      }
      expect(down).toEqual({ status: 503, body: { detail: "Redis unavailable" } });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await infra.start("redis");
    }
    // The new Redis is empty: the sessions of the scenarios are written again.
    await tokens.close();
    tokens = await createTokens(services.env.REDIS_URL!);
    const recovered = await until(
      async () =>
        (await at("store", "GET", "/robot/tasks/ready?train_number=1", { token: tokens.byKind.robot }))
          .status === 200,
      15_000,
      "store serving robots again",
    );
    console.log(`reliability: store served robots again ${recovered} ms after Redis returned`);
  });

  it("Chroma stopped: face search answers 503 naming it, and works again after it returns", async () => {
    const embedding = Array.from({ length: 128 }, (_, i) => Math.sin(i));
    const search = () =>
      at("face", "POST", "/search/embedding", { token: tokens.byKind.service, body: { embedding } });
    const before = (await search()).status;
    expect(before).toBeLessThan(500);
    await infra.stop("chroma");
    try {
      const ready = await at("face", "GET", "/ready");
      expect(ready.status).toBe(503);
      expect(String(ready.body.detail)).toMatch(/chroma/i);
      // With nobody enrolled the face service answers from Postgres alone; otherwise it must name Chroma.
      const down = await search();
      if (down.status !== before) {
        expect(down.status).toBe(503);
        expect(String(down.body.detail)).toMatch(/chroma|index/i);
      }
    } finally {
      await infra.start("chroma");
    }
    await until(
      async () => (await at("face", "GET", "/ready")).status === 200 && (await search()).status === before,
      30_000,
      "face search working again",
    );
  });

  it("face service stopped: base answers 503 'Face service unavailable' and recovers without a restart", async () => {
    const identify = () =>
      at("base", "POST", "/robot/identification", {
        token: tokens.byKind.robot,
        body: { image: "aGVsbG8=" },
      });
    const before = (await identify()).status;
    await services.stop("face");
    try {
      const down = await identify();
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ detail: "Face service unavailable" });
    } finally {
      await services.start("face");
    }
    await until(async () => (await identify()).status === before, 60_000, "base identifying by face again");
  });

  it("nginx answers 503 'Face service unavailable' in JSON while the stack's face service is down", async () => {
    const health = async () => {
      const res = await fetch(`${ENTRY}/face_api/v1/health`, { signal: AbortSignal.timeout(10_000) });
      return { status: res.status, body: (await res.json().catch(() => ({}))) as unknown };
    };
    await stack("stop", "face");
    try {
      expect(await health()).toEqual({ status: 503, body: { detail: "Face service unavailable" } });
    } finally {
      await stack("start", "face");
    }
    await until(async () => (await health()).status === 200, 120_000, "the stack's face service back");
  });

  it("Postgres restarted under concurrent purchases: every answer 200 or 503, recovery within seconds, nothing lost or doubled", async () => {
    const store = await at("store", "POST", "/admin/store", {
      token: tokens.byKind.service,
      body: {
        name: `Reliability ${randomUUID().slice(0, 8)}`,
        description: "",
        logo_url: "x.png",
        store_type: "SHOP",
      },
    });
    expect(store.status).toBe(200);
    const storeId = String(store.body.id);
    const terminal = await tokens.session("store", storeId);
    const STOCK = 100_000;
    const item = await at("store", "POST", "/store/item", {
      token: terminal,
      body: {
        name: "Tea",
        description: "",
        logo_url: "t.png",
        balance: STOCK,
        price_penny: 100,
        category: "drinks",
      },
    });
    expect(item.status).toBe(200);

    const load = startPurchaseLoad({
      itemId: String(item.body.id),
      purchasers: 20,
      retryMs: 200,
      buy: (body, key) =>
        at("store", "POST", `/robot/store/${storeId}/make_purchase`, {
          token: tokens.byKind.robot,
          body,
          headers: { "idempotency-key": key },
        }),
    });
    await sleep(2_000);
    await infra.stop("postgres");
    await sleep(3_000);
    await infra.start("postgres");
    const back = Date.now();
    await until(
      async () =>
        (await at("store", "GET", `/store/item/${String(item.body.id)}`, { token: terminal })).status === 200,
      20_000,
      "store serving again",
    );
    console.log(`reliability: store served again ${Date.now() - back} ms after Postgres returned`);
    await sleep(1_000);
    await load.stop();
    const { acknowledged, statuses } = load;

    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const db = new pg.Client({ connectionString: services.env.STORE_DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM purchases WHERE store_id = $1) AS purchases,
                (SELECT balance::int FROM store_items WHERE id = $2) AS balance`,
        [storeId, item.body.id],
      );
      expect(acknowledged.size).toBeGreaterThan(20);
      expect(rows[0]).toEqual({ purchases: acknowledged.size, balance: STOCK - acknowledged.size });
    } finally {
      await db.end();
    }
  });
});
