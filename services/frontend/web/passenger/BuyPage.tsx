import { useEffect } from "react";
import { Link, useSearchParams } from "react-router";
import { ok } from "../api/client.js";
import type { RunSummary, Station } from "../api/types.js";
import { describeError } from "../app/errors.js";
import { useServices } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Message } from "../components/Message.js";
import { formatDate, formatDuration, formatTime, isoDateIn, zoneName } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { stationName } from "./model.js";

/** Search by from/to/date; the query lives in the address (deep links, back button). */
export function BuyPage() {
  const { t, locale } = useLocale();
  const { api } = useServices();
  const [params, setParams] = useSearchParams();
  const stations = useAsync(() => ok(api.GET("/timetable/stations")), [api]);

  const list: Station[] = stations.data ?? [];
  const from = params.get("from") ?? list[0]?.id ?? "";
  const to = params.get("to") ?? list.find((s) => s.id !== from)?.id ?? "";
  const fromStation = list.find((s) => s.id === from);
  const zone = fromStation?.time_zone ?? "Europe/Moscow";
  const today = isoDateIn(zone);
  const date = params.get("date") ?? today;
  const searched = params.has("date");

  useEffect(() => {
    document.title = `${t("buy.title")} · ${t("brand")}`;
  }, [t]);

  function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setParams({ from: String(form.get("from")), to: String(form.get("to")), date: String(form.get("date")) });
  }

  return (
    <section>
      <h1>{t("buy.title")}</h1>
      {stations.status === "error" && <Message kind="error">{describeError(t, stations.error)}</Message>}
      <form className="card form search" onSubmit={submit} key={`${from}-${to}-${date}-${list.length}`}>
        <div className="row">
          <label>
            {t("buy.from")}
            <select name="from" defaultValue={from} required>
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {stationName(s, s.id, locale)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("buy.to")}
            <select name="to" defaultValue={to} required>
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {stationName(s, s.id, locale)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t("buy.date")}
          <input type="date" name="date" defaultValue={date} min={today} required />
        </label>
        <button type="submit">{t("buy.search")}</button>
      </form>
      {searched && from && to && <Results from={from} to={to} date={date} zone={zone} />}
    </section>
  );
}

function Results({ from, to, date, zone }: { from: string; to: string; date: string; zone: string }) {
  const { t, locale } = useLocale();
  const { api } = useServices();
  const runs = useAsync(
    () => ok(api.GET("/timetable/runs", { params: { query: { from, to, date } } })),
    [api, from, to, date],
  );
  if (from === to) return <Message kind="error">{t("buy.sameStation")}</Message>;
  if (runs.status === "loading") return <Message kind="info">{t("common.loading")}</Message>;
  if (runs.status === "error") return <Message kind="error">{describeError(t, runs.error)}</Message>;
  // Trains that have left are not offered, whatever the server's list says.
  const now = Date.now();
  const upcoming = runs.data.filter((r: RunSummary) => Date.parse(r.departure) > now);
  const dayLabel = formatDate(`${date}T12:00:00Z`, "UTC", locale);
  if (upcoming.length === 0) return <Message kind="info">{t("buy.noRuns", { date: dayLabel })}</Message>;
  return (
    <div className="list results">
      <p className="when">
        {t("buy.found", { count: upcoming.length, date: dayLabel })} · {t("common.timesIn")}{" "}
        {zoneName(zone, locale)}
      </p>
      {upcoming.map((run) => {
        const free = run.classes.reduce((n, c) => n + c.free_seats, 0);
        return (
          <article className="card run" key={run.run_id}>
            <div className="run-times">
              <strong>{formatTime(run.departure, run.from.time_zone, locale)}</strong>
              <span className="arrow" aria-hidden="true">
                →
              </span>
              <strong>{formatTime(run.arrival, run.to.time_zone, locale)}</strong>
              <span className="when">{formatDuration(run.duration_minutes, locale)}</span>
            </div>
            <p className="when">
              {t("common.train", { number: run.train_number })} · {stationName(run.from, from, locale)} →{" "}
              {stationName(run.to, to, locale)}
            </p>
            <p>
              {run.classes
                .map((c) => `${t(`classes.${c.class}`)}: ${t("buy.freeSeats", { count: c.free_seats })}`)
                .join(" · ")}
            </p>
            {free > 0 ? (
              <Link className="button" to={`/buy/${run.run_id}?from=${from}&to=${to}`}>
                {t("buy.chooseSeat")}
              </Link>
            ) : (
              <Message kind="info">{t("buy.soldOut")}</Message>
            )}
          </article>
        );
      })}
    </div>
  );
}
