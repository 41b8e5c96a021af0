import { useEffect, useState } from "react";
import { ok } from "../api/client.js";
import type { paths } from "../api/base.js";
import { describeError } from "../app/errors.js";
import { useServices } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Message } from "../components/Message.js";
import { formatDateTime, formatMoney, zoneName } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { DEFAULT_ZONE } from "./model.js";

type OrderPage = paths["/frontend/orders"]["get"]["responses"][200]["content"]["application/json"];
export type Order = OrderPage["items"][number];

const PAGE_SIZE = 10;
/** Orders move pending → ready → delivered while the passenger watches: refresh this often. */
const REFRESH_MS = 10_000;

export function OrderCard({ order }: { order: Order }) {
  const { t, locale } = useLocale();
  return (
    <article className="card order">
      <header className="page-head">
        <h2>{order.store_name}</h2>
        <span className={`badge ${order.status}`}>{t(`order.status.${order.status}`)}</span>
      </header>
      <p className="when">
        {formatDateTime(order.date, DEFAULT_ZONE, locale)} (
        {zoneName(DEFAULT_ZONE, locale, new Date(order.date))})
      </p>
      <table>
        <tbody>
          {order.items.map((i) => (
            <tr key={i.item_id}>
              <td>
                {i.count} × {i.name}
              </td>
              <td className="num">{formatMoney(i.price_penny * i.count, locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t("order.total")}</th>
            <th className="num">{formatMoney(order.total_penny, locale)}</th>
          </tr>
        </tfoot>
      </table>
    </article>
  );
}

/** Newest orders, refreshed every few seconds so their status follows the store and the robot. */
export function OrderList({ page = 1, onPages }: { page?: number; onPages?: (pages: number) => void }) {
  const { t } = useLocale();
  const { api } = useServices();
  const orders = useAsync(
    () => ok(api.GET("/frontend/orders", { params: { query: { page, size: PAGE_SIZE } } })),
    [api, page],
  );
  const { reload } = orders;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    if (orders.data) onPages?.(orders.data.pages);
  }, [orders.data, onPages]);
  if (orders.status === "loading") return <Message kind="info">{t("common.loading")}</Message>;
  if (orders.status === "error") return <Message kind="error">{describeError(t, orders.error)}</Message>;
  if (orders.data.total === 0) return <Message kind="info">{t("orders.none")}</Message>;
  return (
    <div className="list">
      {orders.data.items.map((order) => (
        <OrderCard key={order.id} order={order} />
      ))}
    </div>
  );
}

export function OrdersPage() {
  const { t } = useLocale();
  const [page, setPage] = useState(1);
  const [pages, setPages] = useState(1);
  useEffect(() => {
    document.title = `${t("orders.title")} · ${t("brand")}`;
  }, [t]);
  return (
    <section>
      <h1>{t("orders.title")}</h1>
      <OrderList page={page} onPages={setPages} />
      {pages > 1 && (
        <nav className="pager">
          <button type="button" className="secondary" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("common.previous")}
          </button>
          <span>{t("common.pageOf", { page, pages })}</span>
          <button
            type="button"
            className="secondary"
            disabled={page >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t("common.next")}
          </button>
        </nav>
      )}
    </section>
  );
}
