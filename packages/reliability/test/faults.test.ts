import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTRY, ENV, createTokens, sleep, stack, until, type Tokens } from "./support.js";

/** A request through nginx, as robots make them. */
async function viaEntry(
  method: string,
  p: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(ENTRY + p, {
    method,
    headers: {
      ...headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, body: json };
}

/**
 * Dependencies fail while the services keep running: each answer names what is missing (503 with a `detail`, no
 * 500, no hang), the services recover by themselves once it is back (no restart), nothing is lost or doubled.
 * Each scenario restores the stack before the next.
 */
describe("fault scenarios", () => {
  let tokens: Tokens;
  beforeAll(async () => {
    tokens = await createTokens();
  });
  afterAll(() => tokens?.close());

  it("Redis stopped: 503 Redis unavailable at once; sessions work again after it returns", async () => {
    const robot = tokens.byKind.robot;
    const probe = () => viaEntry("GET", "/store_api/v1/robot/tasks/ready?train_number=1", robot);
    expect((await probe()).status).toBe(200);
    await stack("stop", "redis");
    try {
      const started = Date.now();
      const down = await probe();
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ detail: "Redis unavailable" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await stack("start", "redis");
    }
    const recovered = await until(
      async () => (await probe()).status === 200,
      15_000,
      "store serving robots again",
    );
    console.log(`reliability: store served robots again ${recovered} ms after Redis returned`);
  });

  it("Chroma stopped: face search answers 503 naming it, and works again after it returns", async () => {
    const search = () =>
      viaEntry("POST", "/face_api/v1/search/embedding", tokens.byKind.service, {
        embedding: Array.from({ length: 128 }, (_, i) => Math.sin(i)),
      });
    const before = (await search()).status;
    expect(before).toBeLessThan(500);
    await stack("stop", "chroma");
    try {
      const ready = await viaEntry("GET", "/face_api/v1/ready");
      expect(ready.status).toBe(503);
      expect(String(ready.body.detail)).toMatch(/chroma/i);
      // With nobody enrolled the face service answers from Postgres alone; otherwise it must name Chroma.
      const down = await search();
      if (down.status !== before) {
        expect(down.status).toBe(503);
        expect(String(down.body.detail)).toMatch(/chroma|index/i);
      }
    } finally {
      await stack("start", "chroma");
    }
    await until(
      async () =>
        (await viaEntry("GET", "/face_api/v1/ready")).status === 200 && (await search()).status === before,
      30_000,
      "face search working again",
    );
  });

  it("face service stopped: nginx and base answer 503 'Face service unavailable' in JSON; base recovers", async () => {
    const identify = () =>
      viaEntry("POST", "/base_api/v1/robot/identification", tokens.byKind.robot, { image: "aGVsbG8=" });
    const before = (await identify()).status;
    await stack("stop", "face");
    try {
      const entry = await viaEntry("GET", "/face_api/v1/health");
      expect(entry.status).toBe(503);
      expect(entry.body).toEqual({ detail: "Face service unavailable" });
      const base = await identify();
      expect(base.status).toBe(503);
      expect(base.body).toEqual({ detail: "Face service unavailable" });
    } finally {
      await stack("start", "face");
    }
    await until(async () => (await identify()).status === before, 60_000, "base identifying by face again");
  });

  it("Postgres restarted under concurrent purchases: every answer 200 or 503, recovery within seconds, nothing lost or doubled", async () => {
    const store = await viaEntry("POST", "/store_api/v1/admin/store", tokens.byKind.service, {
      name: `Reliability ${randomUUID().slice(0, 8)}`,
      description: "",
      logo_url: "x.png",
      store_type: "SHOP",
    });
    expect(store.status).toBe(200);
    const storeId = String(store.body.id);
    const terminal = await tokens.session("store", storeId);
    const STOCK = 100_000;
    const item = await viaEntry("POST", "/store_api/v1/store/item", terminal, {
      name: "Tea",
      description: "",
      logo_url: "t.png",
      balance: STOCK,
      price_penny: 100,
      category: "drinks",
    });
    expect(item.status).toBe(200);

    const acknowledged = new Set<string>();
    const statuses = new Map<number, number>();
    let buying = true;
    const purchaser = async () => {
      while (buying) {
        const key = randomUUID();
        const body = {
          user_id: randomUUID(),
          items: [{ item_id: item.body.id, count: 1 }],
          is_default_ready: true,
          additional_data: {},
        };
        for (;;) {
          const res = await viaEntry(
            "POST",
            `/store_api/v1/robot/store/${storeId}/make_purchase`,
            tokens.byKind.robot,
            body,
            {
              "idempotency-key": key,
            },
          );
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 200) break;
          await sleep(200);
        }
        acknowledged.add(key);
      }
    };
    const purchasers = Array.from({ length: 20 }, purchaser);
    await sleep(2_000);
    await stack("stop", "postgres");
    await sleep(3_000);
    await stack("start", "postgres");
    // Keycloak (a third party) does not recover by itself: its connection pool keeps the closed connections and
    // its token endpoint answers 500 until restarted. Restarted here so the suites after this one find it working.
    const keycloak = stack("restart", "keycloak");
    const back = Date.now();
    await until(
      async () =>
        (await viaEntry("GET", `/store_api/v1/store/item/${String(item.body.id)}`, terminal)).status === 200,
      20_000,
      "store serving again",
    );
    console.log(`reliability: store served again ${Date.now() - back} ms after Postgres returned`);
    await sleep(1_000);
    buying = false;
    await Promise.all(purchasers);

    await keycloak;
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const db = new pg.Client({ connectionString: ENV.STORE_DATABASE_URL });
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
