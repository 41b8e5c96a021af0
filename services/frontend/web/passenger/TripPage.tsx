import { useEffect, useRef, useState } from "react";
import { ApiError, ok } from "../api/client.js";
import type { Shop } from "../api/types.js";
import { describeError } from "../app/errors.js";
import { useServices } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Message } from "../components/Message.js";
import { formatMoney } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { OrderList } from "./OrdersPage.js";

type Cart = Record<string, number>;

/**
 * The train's shops during a trip: the stores bound to the run of the passenger's current ticket, an order
 * delivered to their seat, and their orders' progress. One Idempotency-Key per cart: a double tap or a retry
 * after a lost answer is the same order to the store service, never a second purchase.
 */
export function TripPage() {
  const { t, locale } = useLocale();
  const { api } = useServices();
  const shop = useAsync(() => ok(api.GET("/frontend/shop")), [api]);
  const [storeId, setStoreId] = useState<string | null>(null);
  const [cart, setCart] = useState<Cart>({});
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [ordersKey, setOrdersKey] = useState(0);
  const idempotencyKey = useRef<string | null>(null);

  useEffect(() => {
    document.title = `${t("trip.title")} · ${t("brand")}`;
  }, [t]);

  if (shop.status === "loading") return <Message kind="info">{t("common.loading")}</Message>;
  if (shop.status === "error") {
    const noTrip = shop.error instanceof ApiError && (shop.error.status === 404 || shop.error.status === 409);
    return (
      <section>
        <h1>{t("trip.title")}</h1>
        <Message kind={noTrip ? "info" : "error"}>
          {noTrip ? t("trip.noTrip") : describeError(t, shop.error)}
        </Message>
      </section>
    );
  }
  const data: Shop = shop.data;
  const store = data.stores.find((s) => s.id === storeId) ?? data.stores[0];

  function change(itemId: string, count: number) {
    idempotencyKey.current = null; // a different order from here on
    setResult(null);
    setCart((c) => ({ ...c, [itemId]: Math.max(0, count) }));
  }

  const lines = store ? store.items.filter((i) => (cart[i.id] ?? 0) > 0) : [];
  const total = lines.reduce((sum, i) => sum + i.price_penny * (cart[i.id] ?? 0), 0);

  async function order() {
    if (!store || lines.length === 0 || sending) return;
    idempotencyKey.current ??= crypto.randomUUID();
    setSending(true);
    setResult(null);
    try {
      await ok(
        api.POST("/frontend/orders", {
          headers: { "Idempotency-Key": idempotencyKey.current },
          body: {
            ticket_id: data.ticket.id,
            store_id: store.id,
            items: lines.map((i) => ({ item_id: i.id, count: cart[i.id] ?? 0 })),
          },
        }),
      );
      idempotencyKey.current = null;
      setCart({});
      setResult({
        kind: "ok",
        text: t("trip.ordered", { wagon: data.ticket.wagon_number, place: data.ticket.place_number }),
      });
      setOrdersKey((k) => k + 1);
      shop.reload();
    } catch (err) {
      // A sold-out answer is final for this cart; a network error keeps the key so a retry cannot buy twice.
      if (err instanceof ApiError) idempotencyKey.current = null;
      setResult({ kind: "error", text: describeError(t, err) });
    } finally {
      setSending(false);
    }
  }

  return (
    <section>
      <h1>{t("trip.title")}</h1>
      <p className="when">
        {t("common.train", { number: data.ticket.train_number })} ·{" "}
        {t("run.wagonSeat", { wagon: data.ticket.wagon_number, place: data.ticket.place_number })}
      </p>
      {data.stores.length === 0 ? (
        <Message kind="info">{t("trip.noStores")}</Message>
      ) : (
        <>
          {data.stores.length > 1 && (
            <div className="wagons" role="tablist">
              {data.stores.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  role="tab"
                  aria-selected={s.id === store?.id}
                  className={s.id === store?.id ? "tab active" : "tab"}
                  onClick={() => {
                    setStoreId(s.id);
                    setCart({});
                    idempotencyKey.current = null;
                  }}
                >
                  {s.name}
                </button>
              ))}
            </div>
          )}
          {store && (
            <div className="card shop">
              <h2>{store.name}</h2>
              <ul className="items">
                {store.items.map((item) => {
                  const inCart = cart[item.id] ?? 0;
                  const soldOut = item.available === 0;
                  return (
                    <li key={item.id} className={soldOut ? "item sold-out" : "item"}>
                      <span className="item-name">{item.name}</span>
                      <span className="num">{formatMoney(item.price_penny, locale)}</span>
                      {soldOut ? (
                        <span className="badge">{t("trip.soldOut")}</span>
                      ) : (
                        <span className="stepper">
                          <button
                            type="button"
                            className="secondary"
                            aria-label={t("trip.less", { name: item.name })}
                            disabled={inCart === 0}
                            onClick={() => change(item.id, inCart - 1)}
                          >
                            −
                          </button>
                          <output aria-live="polite">{inCart}</output>
                          <button
                            type="button"
                            className="secondary"
                            aria-label={t("trip.more", { name: item.name })}
                            disabled={inCart >= item.available}
                            onClick={() => change(item.id, inCart + 1)}
                          >
                            +
                          </button>
                        </span>
                      )}
                    </li>
                  );
                })}
              </ul>
              <div className="page-head">
                <strong>
                  {t("order.total")}: {formatMoney(total, locale)}
                </strong>
                <button type="button" disabled={lines.length === 0 || sending} onClick={() => void order()}>
                  {sending ? t("trip.ordering") : t("trip.order")}
                </button>
              </div>
              {result && <Message kind={result.kind}>{result.text}</Message>}
            </div>
          )}
        </>
      )}
      <h2 className="section-title">{t("trip.myOrders")}</h2>
      <OrderList key={ordersKey} />
    </section>
  );
}
