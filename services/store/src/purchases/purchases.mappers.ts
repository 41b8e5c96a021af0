import type { PurchaseLineRow, PurchaseRow, UserPurchaseRow } from "./purchases.repository.js";
import type { PurchaseResponse, PurchaseStatus, UserPurchase } from "./purchases.schemas.js";

const toLine = (line: PurchaseLineRow) => ({
  item_id: line.itemId,
  count: line.count,
  name: line.name,
  price_penny: line.pricePenny,
});

export const toPurchaseResponse = (p: PurchaseRow): PurchaseResponse => ({
  id: p.id,
  store_id: p.storeId,
  user_id: p.userId,
  items: p.lines.map(toLine),
  total_penny: Number(p.totalPenny),
  date: p.createdAt.toISOString(),
});

export function taskStatus(task: { isReady: boolean; deliveredAt: Date | null } | null): PurchaseStatus {
  if (task?.deliveredAt) return "delivered";
  return task?.isReady ? "ready" : "pending";
}

export const toUserPurchase = (p: UserPurchaseRow): UserPurchase => ({
  id: p.id,
  store_id: p.storeId,
  store_name: p.store.name,
  date: p.createdAt.toISOString(),
  total_penny: Number(p.totalPenny),
  status: taskStatus(p.task),
  items: p.lines.map(toLine),
});
