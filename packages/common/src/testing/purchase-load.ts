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
  /**
   * Stops starting purchases and waits until each one under way is confirmed; rejects when a purchaser gave up
   * (an answer it does not retry).
   */
  stop(): Promise<void>;
}

/**
 * Concurrent purchasers of one unit of an item for outage tests (a dependency stops and starts meanwhile): like a
 * robot, each retries its purchase with the same Idempotency-Key until it gets 200, then starts the next. In the
 * end the acknowledged purchases must match the stock and the purchase rows exactly (none lost, none doubled),
 * and `statuses` shows what the outage answered. Only the answers in `retryOn` (default 503 and 0, no answer) are
 * retried: any other stops all purchasers, and `stop()` rejects naming it, instead of retrying forever.
 */
export function startPurchaseLoad(opts: {
  itemId: string;
  purchasers: number;
  retryMs: number;
  buy: BuyAttempt;
  retryOn?: number[];
}): PurchaseLoad {
  const retryOn = new Set(opts.retryOn ?? [503, 0]);
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
        if (!retryOn.has(status)) {
          buying = false;
          throw new Error(
            `purchase answered ${status}, which is not retried (retryOn: ${[...retryOn].join(", ")})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, opts.retryMs));
      }
      acknowledged.add(key);
    }
  };
  let failure: unknown;
  // Caught at once (an unhandled rejection would fail the whole test run); stop() reports it.
  const running = Array.from({ length: opts.purchasers }, () =>
    purchaser().catch((err: unknown) => {
      failure ??= err;
    }),
  );
  return {
    acknowledged,
    statuses,
    stop: async () => {
      buying = false;
      await Promise.all(running);
      if (failure) throw failure;
    },
  };
}
