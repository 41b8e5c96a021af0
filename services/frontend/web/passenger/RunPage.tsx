import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { ok } from "../api/client.js";
import type { Hold, RunDetail } from "../api/types.js";
import { describeError } from "../app/errors.js";
import { useServices } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Countdown } from "../components/Countdown.js";
import { Message } from "../components/Message.js";
import { SeatMap } from "../components/SeatMap.js";
import { formatDateTime, zoneName } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { stationName } from "./model.js";

type Step =
  | { kind: "pick" }
  | { kind: "holding" }
  | { kind: "held"; hold: Hold }
  | { kind: "confirming"; hold: Hold }
  | { kind: "done"; wagon: number; place: number };

/** One run: pick a wagon and a seat on its map, hold it, confirm before the countdown ends. */
export function RunPage() {
  const { runId = "" } = useParams();
  const [params] = useSearchParams();
  const { t, locale } = useLocale();
  const { api } = useServices();
  const run = useAsync(
    () => ok(api.GET("/timetable/runs/{run_id}", { params: { path: { run_id: runId } } })),
    [api, runId],
  );
  const seats = useAsync(
    () => ok(api.GET("/timetable/runs/{run_id}/seats", { params: { path: { run_id: runId } } })),
    [api, runId],
  );
  const [wagonNumber, setWagonNumber] = useState<number | null>(null);
  const [place, setPlace] = useState<number | null>(null);
  const [step, setStep] = useState<Step>({ kind: "pick" });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t("run.title")} · ${t("brand")}`;
  }, [t]);

  const detail: RunDetail | undefined = run.data;
  const from = params.get("from") ?? detail?.stops[0]?.station.id ?? "";
  const to = params.get("to") ?? detail?.stops.at(-1)?.station.id ?? "";
  const fromStop = detail?.stops.find((s) => s.station.id === from);
  const toStop = detail?.stops.find((s) => s.station.id === to);
  const wagons = seats.data?.wagons ?? [];
  const wagon =
    wagons.find((w) => w.number === wagonNumber) ??
    wagons.find((w) => w.places.some((p) => p.status === "free")) ??
    wagons[0];

  async function hold() {
    if (!wagon || place === null) return;
    setError(null);
    setStep({ kind: "holding" });
    try {
      const held = await ok(
        api.POST("/frontend/holds", {
          body: {
            run_id: runId,
            wagon_number: wagon.number,
            place_number: place,
            station_id: from,
            destination_id: to,
          },
        }),
      );
      setStep({ kind: "held", hold: held });
    } catch (err) {
      setError(describeError(t, err));
      setStep({ kind: "pick" });
      setPlace(null);
      seats.reload();
    }
  }

  async function confirm(held: Hold) {
    setStep({ kind: "confirming", hold: held });
    try {
      await ok(api.POST("/frontend/holds/{hold_id}/confirm", { params: { path: { hold_id: held.id } } }));
      setStep({ kind: "done", wagon: held.wagon_number, place: held.place_number });
    } catch (err) {
      setError(describeError(t, err));
      setStep({ kind: "pick" });
      setPlace(null);
      seats.reload();
    }
  }

  async function release(held: Hold) {
    setStep({ kind: "pick" });
    setPlace(null);
    try {
      await ok(api.DELETE("/frontend/holds/{hold_id}", { params: { path: { hold_id: held.id } } }));
    } finally {
      seats.reload();
    }
  }

  if (run.status === "error") return <Message kind="error">{describeError(t, run.error)}</Message>;
  if (seats.status === "error") return <Message kind="error">{describeError(t, seats.error)}</Message>;
  if (!detail || !seats.data) return <Message kind="info">{t("common.loading")}</Message>;

  const departure = fromStop?.departure ?? detail.departure;
  const zone = fromStop?.station.time_zone ?? "Europe/Moscow";
  const departed = Date.parse(departure) <= Date.now();

  if (step.kind === "done") {
    return (
      <section>
        <h1>{t("run.title")}</h1>
        <Message kind="ok">
          {t("run.bought", { train: detail.train_number, wagon: step.wagon, place: step.place })}
        </Message>
        <Link className="button" to="/tickets">
          {t("run.showTickets")}
        </Link>
      </section>
    );
  }

  const held = step.kind === "held" || step.kind === "confirming" ? step.hold : null;
  return (
    <section>
      <h1>
        {stationName(fromStop?.station, from, locale)} → {stationName(toStop?.station, to, locale)}
      </h1>
      <p className="when">
        {t("common.train", { number: detail.train_number })} · {t("run.departs")}{" "}
        {formatDateTime(departure, zone, locale)} ({zoneName(zone, locale, new Date(departure))})
        {toStop?.arrival && (
          <>
            {" "}
            · {t("run.arrives")} {formatDateTime(toStop.arrival, toStop.station.time_zone, locale)} (
            {zoneName(toStop.station.time_zone, locale, new Date(toStop.arrival))})
          </>
        )}
      </p>
      {error && <Message kind="error">{error}</Message>}
      {departed ? (
        <Message kind="error">{t("errors.departed")}</Message>
      ) : held ? (
        <div className="card confirm">
          <h2>{t("run.wagonSeat", { wagon: held.wagon_number, place: held.place_number })}</h2>
          <p>
            <Countdown
              expiresAt={held.expires_at}
              label={(time) => t("run.heldFor", { time })}
              onExpire={() => {
                setError(t("errors.holdExpired"));
                setStep({ kind: "pick" });
                setPlace(null);
                seats.reload();
              }}
            />
          </p>
          <div className="actions">
            <button type="button" disabled={step.kind === "confirming"} onClick={() => void confirm(held)}>
              {t("run.confirm")}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={step.kind === "confirming"}
              onClick={() => void release(held)}
            >
              {t("run.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="wagons" role="tablist" aria-label={t("run.wagons")}>
            {wagons.map((w) => {
              const free = w.places.filter((p) => p.status === "free").length;
              return (
                <button
                  key={w.number}
                  type="button"
                  role="tab"
                  aria-selected={w.number === wagon?.number}
                  className={w.number === wagon?.number ? "tab active" : "tab"}
                  onClick={() => {
                    setWagonNumber(w.number);
                    setPlace(null);
                  }}
                >
                  {t("run.wagon", { number: w.number })}
                  <small>
                    {t(`classes.${w.class}`)} · {t("buy.freeSeats", { count: free })}
                  </small>
                </button>
              );
            })}
          </div>
          {wagon && (
            <div className="card">
              <ul className="legend">
                <li>
                  <span className="seat free" /> {t("seat.free")}
                </li>
                <li>
                  <span className="seat held" /> {t("seat.held")}
                </li>
                <li>
                  <span className="seat taken" /> {t("seat.taken")}
                </li>
              </ul>
              <SeatMap
                wagon={wagon}
                selected={place}
                onSelect={setPlace}
                label={(n, s) => t("seat.label", { number: n, status: t(`seat.${s}`) })}
              />
              <div className="actions">
                <button
                  type="button"
                  disabled={place === null || step.kind === "holding"}
                  onClick={() => void hold()}
                >
                  {place === null ? t("run.pickSeat") : t("run.holdSeat", { wagon: wagon.number, place })}
                </button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
