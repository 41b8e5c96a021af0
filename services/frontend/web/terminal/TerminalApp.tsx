import { useCallback, useEffect, useMemo, useState } from "react";
import { Route, Routes } from "react-router";
import { createSessionClient, ok } from "../api/client.js";
import type { paths as StorePaths } from "../api/store.js";
import { describeError } from "../app/errors.js";
import { Layout } from "../app/Layout.js";
import { useServices } from "../app/services.js";
import { Message } from "../components/Message.js";
import { formatDateTime, formatMoney } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { forgetEnrolment, loadEnrolment, type Enrolment } from "./keystore.js";
import { TerminalSession } from "./session.js";

type TaskPage = StorePaths["/store/tasks"]["get"]["responses"][200]["content"]["application/json"];
type Task = TaskPage["items"][number];

/** How often the stock list refreshes. */
const REFRESH_MS = 3000;
/** The queue's poll when task events are down (they normally trigger every refresh). */
const FALLBACK_REFRESH_MS = 15_000;

/**
 * Follows the store's server-sent task events (`event: task.created|task.ready|task.delivered`) and calls
 * `onEvent` for each, and on every (re)connect, since events are hints to re-read the queue, not the queue
 * itself. EventSource cannot send the session token, so this reads the stream with fetch. Returns a stop function.
 */
export function followTaskEvents(
  url: string,
  token: () => string | null,
  onEvent: () => void,
  onUnauthorized: () => void,
): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  async function connect() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const t = token();
        const res = await fetch(url, {
          headers: { Accept: "text/event-stream", ...(t ? { Authorization: `Bearer ${t}` } : {}) },
          signal: controller.signal,
        });
        if (res.status === 401) {
          // The session ended: the queue's refresh signs in again by the challenge, then we reconnect.
          onUnauthorized();
          onEvent();
        } else if (res.ok && res.body) {
          onEvent();
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += value;
            const frames = buffer.split("\n\n");
            buffer = frames.pop() ?? "";
            if (frames.some((f) => /^event: task\./m.test(f))) onEvent();
          }
        }
      } catch {
        // network error or stopped: reconnect below unless stopped
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 2000));
    }
  }
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
  };
}
const ZONE = "Europe/Moscow";

function EnrolForm({
  session,
  onEnrolled,
}: {
  session: TerminalSession;
  onEnrolled: (e: Enrolment) => void;
}) {
  const { t } = useLocale();
  const [login, setLogin] = useState("");
  const [password, setPassword] = useState("");
  const [stores, setStores] = useState<{ id: string; name: string }[] | null>(null);
  const [storeId, setStoreId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function listStores(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const list = await session.engineerStores(login, password);
      setStores(list);
      setStoreId(list[0]?.id ?? "");
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  async function enrol() {
    const store = stores?.find((s) => s.id === storeId);
    if (!store) return;
    setBusy(true);
    setError(null);
    try {
      onEnrolled(await session.enrol(login, password, store));
    } catch (err) {
      setError(describeError(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{t("terminal.enrolTitle")}</h1>
      <p>{t("terminal.enrolIntro")}</p>
      {error && <Message kind="error">{error}</Message>}
      <form className="card form" onSubmit={(e) => void listStores(e)}>
        <label>
          {t("terminal.engineerLogin")}
          <input
            name="login"
            autoComplete="username"
            value={login}
            onChange={(e) => setLogin(e.target.value)}
            required
          />
        </label>
        <label>
          {t("terminal.engineerPassword")}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {stores === null ? (
          <button type="submit" disabled={busy}>
            {t("terminal.next")}
          </button>
        ) : stores.length === 0 ? (
          <Message kind="info">{t("terminal.noStores")}</Message>
        ) : (
          <>
            <label>
              {t("terminal.store")}
              <select name="store" value={storeId} onChange={(e) => setStoreId(e.target.value)}>
                {stores.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" disabled={busy} onClick={() => void enrol()}>
              {t("terminal.enrol")}
            </button>
          </>
        )}
      </form>
    </section>
  );
}

function TaskCard({ task, onReady }: { task: Task; onReady?: () => void }) {
  const { t, locale } = useLocale();
  // What the buyer's side sent: the passenger site sends the seat and the passenger's name; a robot may too.
  const seat = task.additional_data as {
    wagon_number?: unknown;
    place_number?: unknown;
    passenger_name?: unknown;
  };
  return (
    <article className={`card task ${task.status}`} data-task-id={task.id}>
      <header className="page-head">
        <h2>
          {task.train_number !== null
            ? t("common.train", { number: task.train_number })
            : t("terminal.noTrain")}
          {typeof seat.wagon_number === "number" && typeof seat.place_number === "number" && (
            <> · {t("run.wagonSeat", { wagon: seat.wagon_number, place: seat.place_number })}</>
          )}
        </h2>
        <span className={`badge ${task.status}`}>{t(`order.status.${task.status}`)}</span>
      </header>
      {typeof seat.passenger_name === "string" && seat.passenger_name && (
        <p className="passenger">{seat.passenger_name}</p>
      )}
      <p className="when">{formatDateTime(task.date, ZONE, locale)}</p>
      <ul className="items">
        {task.purchase.items.map((i) => (
          <li key={i.item_id} className="item">
            <span className="item-name">
              {i.count} × {i.name}
            </span>
            <span className="num">{formatMoney(i.price_penny * i.count, locale)}</span>
          </li>
        ))}
      </ul>
      {onReady && (
        <button type="button" onClick={onReady}>
          {t("terminal.markReady")}
        </button>
      )}
    </article>
  );
}

type ItemPage = StorePaths["/store/items"]["get"]["responses"][200]["content"]["application/json"];

/** The store's stock with quick adjustments: deliveries (+) and write-offs (−) by the amount typed. */
function Stock({ store }: { store: ReturnType<typeof createSessionClient<StorePaths>> }) {
  const { t, locale } = useLocale();
  const [items, setItems] = useState<ItemPage["items"] | null>(null);
  const [amounts, setAmounts] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems((await ok(store.GET("/store/items", { params: { query: { page: 1, size: 100 } } }))).items);
    } catch (err) {
      setError(describeError(t, err));
    }
  }, [store, t]);
  useEffect(() => {
    // Sales change the stock too: refresh with the queue.
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);
  async function adjust(itemId: string, sign: 1 | -1) {
    const delta = sign * Math.max(1, amounts[itemId] ?? 1);
    setError(null);
    try {
      await ok(
        store.POST("/store/item/{item_id}/stock", { params: { path: { item_id: itemId } }, body: { delta } }),
      );
    } catch (err) {
      setError(describeError(t, err));
    }
    await load();
  }
  return (
    <div className="card shop">
      <h2>{t("terminal.stock")}</h2>
      {error && <Message kind="error">{error}</Message>}
      {items === null ? (
        <Message kind="info">{t("common.loading")}</Message>
      ) : (
        <ul className="items">
          {items.map((item) => (
            <li key={item.id} className="item" data-item-id={item.id}>
              <span className="item-name">{item.name}</span>
              <span className="num">{formatMoney(item.price_penny, locale)}</span>
              <output aria-label={t("terminal.balance", { name: item.name })}>{item.balance}</output>
              <span className="stepper adjust">
                <input
                  type="number"
                  min={1}
                  aria-label={t("terminal.amount", { name: item.name })}
                  value={amounts[item.id] ?? 1}
                  onChange={(e) => setAmounts((a) => ({ ...a, [item.id]: Number(e.target.value) }))}
                />
                <button type="button" className="secondary" onClick={() => void adjust(item.id, 1)}>
                  {t("terminal.delivery")}
                </button>
                <button type="button" className="secondary" onClick={() => void adjust(item.id, -1)}>
                  {t("terminal.writeOff")}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Queue({ enrolment, session }: { enrolment: Enrolment; session: TerminalSession }) {
  const { t } = useLocale();
  const { config } = useServices();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const store = useMemo(
    () =>
      createSessionClient<StorePaths>(
        config.storeApi,
        () => session.token(),
        () => session.forgetToken(),
      ),
    [config.storeApi, session],
  );

  const refresh = useCallback(async () => {
    try {
      if (!session.token()) await session.login(enrolment);
      const page = await ok(
        store.GET("/store/tasks", { params: { query: { also_ready_tasks: "true", page: 1, size: 100 } } }),
      );
      setTasks(page.items);
      setError(null);
    } catch (err) {
      setError(describeError(t, err));
    }
  }, [enrolment, session, store, t]);

  useEffect(() => {
    void refresh();
    // Server-sent task events make new orders appear at once; the slow poll is only a safety net.
    const stop = followTaskEvents(
      `${config.storeApi}/store/tasks/events`,
      () => session.token(),
      () => void refresh(),
      () => session.forgetToken(),
    );
    const timer = setInterval(() => void refresh(), FALLBACK_REFRESH_MS);
    return () => {
      stop();
      clearInterval(timer);
    };
  }, [refresh, config.storeApi, session]);

  async function markReady(task: Task) {
    try {
      await ok(store.PUT("/store/task/{task_id}/ready", { params: { path: { task_id: task.id } } }));
    } catch (err) {
      setError(describeError(t, err));
    }
    await refresh();
  }

  const pending = (tasks ?? []).filter((x) => x.status === "pending");
  const done = (tasks ?? []).filter((x) => x.status !== "pending").reverse();
  return (
    <section>
      <h1>{t("terminal.queueTitle", { store: enrolment.storeName })}</h1>
      {error && <Message kind="error">{error}</Message>}
      {tasks === null ? (
        <Message kind="info">{t("common.loading")}</Message>
      ) : (
        <>
          <h2 className="section-title">{t("terminal.pending", { count: pending.length })}</h2>
          {pending.length === 0 ? (
            <Message kind="info">{t("terminal.noPending")}</Message>
          ) : (
            <div className="list">
              {pending.map((task) => (
                <TaskCard key={task.id} task={task} onReady={() => void markReady(task)} />
              ))}
            </div>
          )}
          <Stock store={store} />
          {done.length > 0 && (
            <>
              <h2 className="section-title">{t("terminal.history")}</h2>
              <div className="list past">
                {done.map((task) => (
                  <TaskCard key={task.id} task={task} />
                ))}
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}

/** The store-staff terminal: this browser enrolled as the store's terminal, then its live order queue. */
function TerminalHome() {
  const { t } = useLocale();
  const { config } = useServices();
  const session = useMemo(() => new TerminalSession(config.baseApi, config.storeApi), [config]);
  const [enrolment, setEnrolment] = useState<Enrolment | null | undefined>(undefined);
  useEffect(() => {
    document.title = `${t("terminal.brand")} · ${t("brand")}`;
    loadEnrolment().then(
      (e) => setEnrolment(e ?? null),
      () => setEnrolment(null),
    );
  }, [t]);
  if (enrolment === undefined) return <Message kind="info">{t("common.loading")}</Message>;
  if (enrolment === null) return <EnrolForm session={session} onEnrolled={setEnrolment} />;
  return <Queue enrolment={enrolment} session={session} />;
}

function TerminalLayout() {
  const { t } = useLocale();
  const [, setTick] = useState(0);
  async function forget() {
    if (!window.confirm(t("terminal.confirmForget"))) return;
    await forgetEnrolment();
    sessionStorage.clear();
    setTick((n) => n + 1);
    window.location.assign("/terminal/");
  }
  return (
    <Layout
      brand={t("terminal.brand")}
      home="/terminal/"
      nav={[]}
      account={
        <button type="button" className="link" onClick={() => void forget()}>
          {t("terminal.forget")}
        </button>
      }
    />
  );
}

/** The terminal's route tree, mounted at `/terminal/*` (its own chunk). */
export function TerminalApp() {
  return (
    <Routes>
      <Route element={<TerminalLayout />}>
        <Route index element={<TerminalHome />} />
        <Route path="*" element={<TerminalHome />} />
      </Route>
    </Routes>
  );
}
