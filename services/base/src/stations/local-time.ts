/**
 * Local times of stations from IANA time zones, with the platform's Intl (ICU) time-zone data: no library needed
 * for offsets and local dates, and Postgres is never asked to interpret zone names (its tzdata may differ).
 */

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

function offsetFormat(timeZone: string): Intl.DateTimeFormat {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormats.set(timeZone, format);
  }
  return format;
}

/** Whether the platform knows the IANA zone (e.g. `Europe/Moscow`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    offsetFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (Moscow: 180). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const name = offsetFormat(timeZone)
    .formatToParts(instant)
    .find((p) => p.type === "timeZoneName")?.value;
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? "");
  if (!m) return 0; // "GMT": UTC itself
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** ISO 8601 with the zone's offset at that instant: `2026-12-02T09:00:00+03:00`. */
export function isoInZone(instant: Date, timeZone: string): string {
  const offset = offsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offset);
  return `${local}${offset < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The local calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return isoInZone(instant, timeZone).slice(0, 10);
}

/** The instant a local calendar day (`YYYY-MM-DD`) starts in `timeZone` (DST-safe: offset re-checked once). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  let instant = midnightUtc - offsetMinutes(new Date(midnightUtc), timeZone) * 60_000;
  instant = midnightUtc - offsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}

/** The half-open instant range [start, end) of a local calendar day in `timeZone`. */
export function localDayRange(date: string, timeZone: string): { start: Date; end: Date } {
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { start: startOfLocalDay(date, timeZone), end: startOfLocalDay(next, timeZone) };
}
