import { randomUUID } from "node:crypto";

/** One purchase attempt with its Idempotency-Key: the HTTP status it got (0 when no answer came). */
export type BuyAttempt = (body: PurchaseBody, idempotencyKey: string) => Promise<{ status: number }>;

export interface PurchaseBody {
  user_id: string;
  items: { item_id: string; count: number }[];
  is_default_ready: boolean;
  additional_data: Record<string, unknown>;
}

export interface PurchaseLoad {
  /** Idempotency keys of the purchases confirmed with 200. */
  acknowledged: Set<string>;
  /** How many answers of each status the attempts got (retries included). */
  statuses: Map<number, number>;
  /** Stops starting purchases and waits until each one under way is confirmed. */
  stop(): Promise<void>;
}

/**
 * Concurrent purchasers of one unit of an item for outage tests (a dependency stops and starts meanwhile): like a
 * robot, each retries its purchase with the same Idempotency-Key until it gets 200, then starts the next. In the
 * end the acknowledged purchases must match the stock and the purchase rows exactly (none lost, none doubled),
 * and `statuses` shows what the outage answered.
 */
export function startPurchaseLoad(opts: {
  itemId: string;
  purchasers: number;
  retryMs: number;
  buy: BuyAttempt;
}): PurchaseLoad {
  const acknowledged = new Set<string>();
  const statuses = new Map<number, number>();
  let buying = true;
  const purchaser = async () => {
    while (buying) {
      const key = randomUUID();
      const body: PurchaseBody = {
        user_id: randomUUID(),
        items: [{ item_id: opts.itemId, count: 1 }],
        is_default_ready: true,
        additional_data: {},
      };
      for (;;) {
        const { status } = await opts.buy(body, key);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, opts.retryMs));
      }
      acknowledged.add(key);
    }
  };
  const running = Array.from({ length: opts.purchasers }, purchaser);
  return {
    acknowledged,
    statuses,
    stop: async () => {
      buying = false;
      await Promise.all(running);
    },
  };
}
