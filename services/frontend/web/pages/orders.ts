import type { Order } from "../api.js";
import { formatLocal, formatPenny, h, message, pagerControls, replace } from "../dom.js";
import type { PageContext } from "./context.js";

const STATUS_LABEL: Record<Order["status"], string> = {
  pending: "Being prepared",
  ready: "Ready",
  delivered: "Delivered",
};
const PAGE_SIZE = 10;

function orderCard(order: Order): HTMLElement {
  return h(
    "article",
    { class: "card order" },
    h(
      "header",
      { class: "page-head" },
      h("h2", {}, order.store_name),
      h("span", { class: `badge ${order.status}` }, STATUS_LABEL[order.status]),
    ),
    h("p", { class: "when" }, formatLocal(order.date)),
    h(
      "table",
      {},
      h(
        "tbody",
        {},
        ...order.items.map((i) =>
          h(
            "tr",
            {},
            h("td", {}, `${i.count} × ${i.name}`),
            h("td", { class: "num" }, formatPenny(i.price_penny * i.count)),
          ),
        ),
      ),
      h(
        "tfoot",
        {},
        h("tr", {}, h("th", {}, "Total"), h("th", { class: "num" }, formatPenny(order.total_penny))),
      ),
    ),
  );
}

export async function ordersPage({ api }: PageContext): Promise<HTMLElement> {
  const list = h("div", { class: "list" });
  const pager = h("nav", { class: "pager" });
  async function show(page: number) {
    replace(list, message("info", "Loading orders…"));
    try {
      const result = await api.orders(page, PAGE_SIZE);
      if (result.total === 0) {
        replace(
          list,
          message("info", "No orders yet: the robot on your train takes orders from its stores."),
        );
        replace(pager);
        return;
      }
      replace(list, ...result.items.map(orderCard));
      replace(pager, ...pagerControls(result, (p) => void show(p)));
    } catch (err) {
      replace(list, message("error", (err as Error).message));
    }
  }
  await show(1);
  return h("section", {}, h("h1", {}, "My orders"), list, pager);
}
