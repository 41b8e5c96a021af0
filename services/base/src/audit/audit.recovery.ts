import type { Logger } from "pino";
import type { AuditService } from "./audit.service.js";

/**
 * Turns the intents of admin actions whose process stopped before they answered into entries of unknown outcome
 * (status 0), so an action is never missing from the log. Every replica runs it (SKIP LOCKED in the repository).
 * An intent is taken as interrupted once it is older than any request can run (`olderThanMs`).
 */
export class AuditRecoveryJob {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly audit: Pick<AuditService, "recoverInterrupted">,
    private readonly logger: Logger,
    private readonly options = { intervalMs: 60_000, olderThanMs: 10 * 60_000 },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.round ??= this.audit
        .recoverInterrupted(this.options.olderThanMs)
        .then((n) => {
          if (n > 0) this.logger.warn({ recovered: n }, "interrupted admin actions written to the audit log");
        })
        .catch((err: unknown) =>
          this.logger.warn({ err }, "audit recovery failed; retrying on the next round"),
        )
        .finally(() => (this.round = undefined));
    }, this.options.intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }
}
