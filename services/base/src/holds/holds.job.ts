import type { Logger } from "pino";
import type { HoldsRepository } from "./holds.repository.js";

/**
 * Releases expired holds in the background. Every replica of the base service runs it; the delete skips rows
 * another replica is deleting (SKIP LOCKED), so each hold is released exactly once and nobody waits. Purchases
 * never depend on it: an expired hold is ignored (and taken over) as soon as it expires.
 */
export class HoldsExpiryJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly holds: Pick<HoldsRepository, "expire">,
    private readonly logger: Logger,
    private readonly options: { intervalMs: number; batch: number } = { intervalMs: 30_000, batch: 500 },
  ) {}

  /** Releases every hold that has expired by now, batch by batch; returns how many this replica released. */
  async runOnce(): Promise<number> {
    let released = 0;
    for (;;) {
      const batch = await this.holds.expire(this.options.batch);
      released += batch.length;
      if (batch.length < this.options.batch) break;
    }
    if (released > 0) this.logger.info({ released }, "expired seat holds released");
    return released;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return; // the previous round is still going
      this.running = this.runOnce()
        .catch((err: unknown) => {
          this.logger.warn({ err }, "releasing expired seat holds failed; retrying on the next round");
          return 0;
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
