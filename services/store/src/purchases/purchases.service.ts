import { createHash } from "node:crypto";
import { badRequest, HttpError, notFound, paginate, type Page, type PageQuery } from "@rail/common";
import { canonicalJson } from "../shared/canonical-json.js";
import { STORE_NOT_FOUND } from "../stores/stores.service.js";
import type { BuyerDirectory } from "../users/users.client.js";
import { toPurchaseResponse, toUserPurchase } from "./purchases.mappers.js";
import type { CatalogueItem, PurchaseLineRow, PurchasesRepository } from "./purchases.repository.js";
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
}

/** Repeated lines for one item are merged (counts added), keeping the first line's position. */
export function mergeLines(items: PurchaseCreation["items"]): { itemId: string; count: number }[] {
  const merged = new Map<string, number>();
  for (const line of items) merged.set(line.item_id, (merged.get(line.item_id) ?? 0) + line.count);
  return [...merged].map(([itemId, count]) => ({ itemId, count }));
}

/**
 * Line pricing: each line takes the item's name and current unit price (kept on the line, so later price changes
 * never rewrite history) and the total is the exact sum of count x unit price. Null when an item is not sold by
 * the store.
 */
export function priceLines(
  lines: { itemId: string; count: number }[],
  catalogue: CatalogueItem[],
): { lines: PurchaseLineRow[]; totalPenny: bigint } | null {
  const byId = new Map(catalogue.map((item) => [item.id, item]));
  const priced: PurchaseLineRow[] = [];
  for (const [position, line] of lines.entries()) {
    const item = byId.get(line.itemId);
    if (!item) return null;
    priced.push({
      position,
      itemId: line.itemId,
      name: item.name,
      count: line.count,
      pricePenny: item.pricePenny,
    });
  }
  const totalPenny = priced.reduce((sum, l) => sum + BigInt(l.count) * BigInt(l.pricePenny), 0n);
  return { lines: priced, totalPenny };
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
    const requestHash = createHash("sha256")
      .update(canonicalJson({ store_id: storeId, ...body }))
      .digest("hex");
    const idempotency = idempotencyKey
      ? { scope: `${purchaser.kind}:${purchaser.subject}`, key: idempotencyKey }
      : undefined;
    const merged = mergeLines(body.items);
    const priced = priceLines(
      merged,
      await this.purchases.catalogue(
        storeId,
        merged.map((l) => l.itemId),
      ),
    );
    if (!priced) {
      // A retry of a purchase whose item has since been removed still gets its first answer.
      const earlier =
        idempotency && (await this.purchases.findIdempotent(idempotency, this.idempotencyTtlSeconds));
      if (earlier) return this.replay(earlier, requestHash);
      throw notFound((await this.purchases.storeExists(storeId)) ? SOME_ITEMS_NOT_FOUND : STORE_NOT_FOUND);
    }
    // Task defaults: a purchase starts ready when the robot says so (e.g. goods handed over at once).
    const isReady = body.is_default_ready;
    const outcome = await this.purchases.create({
      storeId,
      userId: body.user_id,
      lines: priced.lines,
      totalPenny: priced.totalPenny,
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
        return { purchase: toPurchaseResponse(outcome.purchase), replayed: false };
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
