import { describe, expect, it } from "vitest";
import { startPurchaseLoad, type PurchaseBody } from "./purchase-load.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("purchase load for outage tests", () => {
  it("retries a purchase with its own key through 503s and no-answers, and counts each confirmed once", async () => {
    const attempts = new Map<string, { body: PurchaseBody; n: number }>();
    const load = startPurchaseLoad({
      itemId: "item-1",
      purchasers: 3,
      retryMs: 1,
      buy: async (body, key) => {
        const seen = attempts.get(key) ?? { body, n: 0 };
        expect(seen.body).toBe(body); // the same purchase, not a new one, on each retry
        seen.n += 1;
        attempts.set(key, seen);
        await sleep(1);
        return { status: [503, 0, 200][Math.min(seen.n - 1, 2)]! };
      },
    });
    await sleep(50);
    await load.stop();
    expect(load.acknowledged.size).toBeGreaterThan(3);
    expect([...load.acknowledged].every((key) => attempts.get(key)?.n === 3)).toBe(true);
    expect(load.statuses.get(200)).toBe(load.acknowledged.size);
    expect(load.statuses.get(503)).toBeGreaterThanOrEqual(load.acknowledged.size);
    expect(attempts.get([...load.acknowledged][0]!)?.body.items).toEqual([{ item_id: "item-1", count: 1 }]);
  });

  it("gives up on an answer it does not retry (a 401 loops forever otherwise) and stop() says so", async () => {
    let calls = 0;
    const load = startPurchaseLoad({
      itemId: "item-1",
      purchasers: 2,
      retryMs: 1,
      buy: async () => {
        calls += 1;
        await sleep(1);
        return { status: calls > 3 ? 401 : 200 };
      },
    });
    await sleep(50);
    const callsAtStop = calls;
    await expect(load.stop()).rejects.toThrow(/purchase answered 401, which is not retried/);
    expect(callsAtStop).toBeLessThan(10);
    expect(load.statuses.get(401)).toBeGreaterThanOrEqual(1);
  });
});
