/**
 * Locale-aware formatting on the browser's Intl (no extra library): times in the station's zone with the zone
 * named, money in roubles. Kept pure (locale and zone are arguments) so it is unit-tested without a browser.
 */
export type Locale = "ru" | "en";

const INTL_LOCALE: Record<Locale, string> = { ru: "ru-RU", en: "en-GB" };

/** "2 дек. 2026 г., 09:00" / "2 Dec 2026, 09:00" — the wall-clock time at `timeZone`. */
export function formatDateTime(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** "09:00" at `timeZone`. */
export function formatTime(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, timeStyle: "short" }).format(new Date(iso));
}

/** "2 декабря 2026 г." / "2 December 2026" at `timeZone`. */
export function formatDate(iso: string, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, dateStyle: "long" }).format(new Date(iso));
}

/** The zone's name in the locale at that instant: "Москва, стандартное время" / "Moscow Standard Time". */
export function zoneName(timeZone: string, locale: Locale, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat(INTL_LOCALE[locale], { timeZone, timeZoneName: "long" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? timeZone;
}

/** Roubles from kopecks: "1 234,50 ₽" / "₽1,234.50". */
export function formatMoney(penny: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], {
    style: "currency",
    currency: "RUB",
    currencyDisplay: "narrowSymbol",
  }).format(penny / 100);
}

/** Local date (YYYY-MM-DD) at `timeZone`, e.g. today at the departure station. */
export function isoDateIn(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone }).format(at);
}

/** "4 ч 5 мин" / "4 h 5 min" */
export function formatDuration(minutes: number, locale: Locale): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unit = (value: number, u: "hour" | "minute") =>
    new Intl.NumberFormat(INTL_LOCALE[locale], { style: "unit", unit: u, unitDisplay: "short" }).format(
      value,
    );
  return [h ? unit(h, "hour") : "", m || !h ? unit(m, "minute") : ""].filter(Boolean).join(" ");
}
