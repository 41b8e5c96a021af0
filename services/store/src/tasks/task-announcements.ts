import { PurchasesService } from "../purchases/purchases.service.js";
import type { TasksService } from "./tasks.service.js";

/**
 * Purchases that announce their new task on the live streams. A subclass composed in app.ts, so the purchase hot
 * path (purchases/, one SQL statement) stays as it is: the announcement runs after the answer is decided and
 * never delays or fails it. Replays of an Idempotency-Key announce nothing (their task was announced once).
 */
export class AnnouncingPurchasesService extends PurchasesService {
  constructor(
    private readonly tasks: Pick<TasksService, "announce">,
    ...args: ConstructorParameters<typeof PurchasesService>
  ) {
    super(...args);
  }

  override async purchase(...args: Parameters<PurchasesService["purchase"]>) {
    const result = await super.purchase(...args);
    if (!result.replayed)
      void this.tasks.announce(
        "created",
        result.task ? { task: result.task } : { purchaseId: result.purchase.id },
      );
    return result;
  }
}
