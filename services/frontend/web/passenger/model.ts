import type { paths } from "../api/base.js";
import type { Station } from "../api/types.js";
import type { Locale } from "../i18n/format.js";

/** Where the timetable lives when an older ticket does not name its stations' zones. */
export const DEFAULT_ZONE = "Europe/Moscow";

type TicketPage = paths["/frontend/tickets"]["get"]["responses"][200]["content"]["application/json"];
type GeneratedTicket = TicketPage["items"][number];

export type TicketStatus = "valid" | "used" | "expired";

/** A ticket as GET /frontend/tickets returns it (generated from the base service's schema). */
export type Ticket = GeneratedTicket;

export function stationName(station: Station | undefined, fallbackId: string, locale: Locale): string {
  if (station) return locale === "ru" ? station.name_ru : station.name_en;
  return fallbackId;
}

export const departureOf = (t: Ticket) => t.departure;

/** The ticket's status as the base service decides it (valid / used / expired). */
export const statusOf = (t: Ticket): TicketStatus => t.status;

/** Upcoming: still valid and not yet arrived; everything else is past. Upcoming soonest first, past latest first. */
export function splitTickets(tickets: Ticket[], now = Date.now()): { upcoming: Ticket[]; past: Ticket[] } {
  const upcoming: Ticket[] = [];
  const past: Ticket[] = [];
  for (const t of tickets) {
    if (statusOf(t) === "valid" && Date.parse(t.arrival) >= now) upcoming.push(t);
    else past.push(t);
  }
  const at = (t: Ticket) => Date.parse(departureOf(t));
  upcoming.sort((a, b) => at(a) - at(b));
  past.sort((a, b) => at(b) - at(a));
  return { upcoming, past };
}

/** What the ticket's QR code carries: the signed code when the service issues one, else the plain code. */
export const qrPayload = (t: Ticket) => t.signed_code ?? t.code;
