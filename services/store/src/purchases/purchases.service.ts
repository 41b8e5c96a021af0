import { createHash } from "node:crypto";
import { badRequest, HttpError, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { canonicalJson } from "../shared/canonical-json.js";
import { STORE_NOT_FOUND } from "../stores/stores.service.js";
import type { BuyerDirectory } from "../users/users.client.js";
import { toPurchaseResponse, toUserPurchase } from "./purchases.mappers.js";
import type { TaskRow } from "../tasks/tasks.repository.js";
import type { PurchasesRepository } from "./purchases.repository.js";
import type { PurchaseCreation, PurchaseResponse, UserPurchase } from "./purchases.schemas.js";

export const SOME_ITEMS_NOT_FOUND = "Some items not found";
export const NOT_ENOUGH_ITEMS = "Not enough items";
export const STORE_BUSY = "Too many purchases at once, retry";
export const USER_NOT_FOUND = "User not found";
export const IDEMPOTENCY_KEY_REUSED = "Idempotency-Key was already used with a different request";

/** Who buys: idempotency keys are scoped per caller, so two robots can never collide on a key. */
export interface Purchaser {
  kind: "robot" | "store" | "service";
  subject: string;
}

export interface PurchaseResult {
  purchase: PurchaseResponse;
  /** True when an earlier request with the same Idempotency-Key produced this purchase. */
  replayed: boolean;
  /** The task this request created (not on a replay), for its live event. */
  task?: TaskRow;
}

/** Repeated lines for one item are merged (counts added), keeping the first line's position. */
export function mergeLines(items: PurchaseCreation["items"]): { itemId: string; count: number }[] {
  const merged = new Map<string, number>();
  for (const line of items) merged.set(line.item_id, (merged.get(line.item_id) ?? 0) + line.count);
  return [...merged].map(([itemId, count]) => ({ itemId, count }));
}

export class PurchasesService {
  constructor(
    private readonly purchases: PurchasesRepository,
    private readonly idempotencyTtlSeconds: number,
    /** When set, purchases for passengers unknown to the base service are refused (404). */
    private readonly buyers?: BuyerDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async purchase(
    purchaser: Purchaser,
    storeId: string,
    body: PurchaseCreation,
    idempotencyKey?: string,
  ): Promise<PurchaseResult> {
    if (this.buyers && !(await this.buyers.exists(body.user_id))) throw notFound(USER_NOT_FOUND);
    // Only a request with an Idempotency-Key can be replayed, so only then is its body hashed.
    const requestHash = idempotencyKey
      ? createHash("sha256")
          .update(canonicalJson({ store_id: storeId, ...body }))
          .digest("hex")
      : "";
    const idempotency = idempotencyKey
      ? { scope: `${purchaser.kind}:${purchaser.subject}`, key: idempotencyKey }
      : undefined;
    // Each line is priced in the purchase's own statement, from the item row whose stock it takes (the name and
    // unit price are kept on the line, so later price changes never rewrite history; the total is their exact sum).
    const lines = mergeLines(body.items).map((line, position) => ({ position, ...line }));
    // Task defaults: a purchase starts ready when the robot says so (e.g. goods handed over at once).
    const isReady = body.is_default_ready;
    const outcome = await this.purchases.create({
      storeId,
      userId: body.user_id,
      lines,
      task: {
        isReady,
        readyAt: isReady ? this.now() : null,
        additionalData: body.additional_data,
        trainNumber: body.train_number ?? null,
      },
      idempotency: idempotency && {
        ...idempotency,
        requestHash,
        ttlSeconds: this.idempotencyTtlSeconds,
      },
    });
    switch (outcome.kind) {
      case "created":
        return { purchase: toPurchaseResponse(outcome.purchase), replayed: false, task: outcome.task };
      case "replay":
        return this.replay(outcome, requestHash);
      case "store_missing":
        throw notFound(STORE_NOT_FOUND);
      case "items_missing":
        throw notFound(SOME_ITEMS_NOT_FOUND);
      case "insufficient_stock":
        throw badRequest(NOT_ENOUGH_ITEMS);
      case "busy":
        throw new HttpError(503, STORE_BUSY, { "Retry-After": "1" });
    }
  }

  private async replay(
    earlier: { requestHash: string; purchaseId: string },
    requestHash: string,
  ): Promise<PurchaseResult> {
    if (earlier.requestHash !== requestHash) throw new HttpError(422, IDEMPOTENCY_KEY_REUSED);
    const first = await this.purchases.findById(earlier.purchaseId);
    // The key row is deleted with its purchase (cascade), so this only races a concurrent store deletion.
    if (!first) throw notFound(STORE_NOT_FOUND);
    return { purchase: toPurchaseResponse(first), replayed: true };
  }

  listForUser(userId: string, query: PageQuery): Promise<Page<UserPurchase>> {
    return paginate(
      query,
      () => this.purchases.countByUser(userId),
      (w) => this.purchases.listByUser(userId, w),
      toUserPurchase,
    );
  }
}
