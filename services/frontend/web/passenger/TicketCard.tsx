import { Link } from "react-router";
import { QrCode } from "../components/QrCode.js";
import { formatDateTime, zoneName } from "../i18n/format.js";
import { useLocale } from "../i18n/index.js";
import { DEFAULT_ZONE, departureOf, qrPayload, stationName, statusOf, type Ticket } from "./model.js";

/** A ticket with everything a conductor or robot needs; the QR code holds the ticket code robots scan. */
export function TicketCard({
  ticket,
  passenger,
  qrSize = 240,
  printable = true,
}: {
  ticket: Ticket;
  passenger: string;
  qrSize?: number;
  printable?: boolean;
}) {
  const { t, locale } = useLocale();
  const status = statusOf(ticket);
  const depZone = ticket.from?.time_zone ?? DEFAULT_ZONE;
  const arrZone = ticket.to?.time_zone ?? DEFAULT_ZONE;
  const departure = departureOf(ticket);
  return (
    <article className={`card ticket ${status}`} data-ticket-id={ticket.id}>
      <div className="ticket-info">
        <header className="page-head">
          <h2>
            {stationName(ticket.from, ticket.station_id, locale)} →{" "}
            {stationName(ticket.to, ticket.destination, locale)}
          </h2>
          <span className={`badge ${status}`}>{t(`ticket.status.${status}`)}</span>
        </header>
        <dl>
          <dt>{t("ticket.passenger")}</dt>
          <dd>{passenger}</dd>
          <dt>{t("ticket.train")}</dt>
          <dd>{ticket.train_number}</dd>
          <dt>{t("ticket.departure")}</dt>
          <dd>
            {formatDateTime(departure, depZone, locale)}
            <small>{zoneName(depZone, locale, new Date(departure))}</small>
          </dd>
          {ticket.arrival && (
            <>
              <dt>{t("ticket.arrival")}</dt>
              <dd>
                {formatDateTime(ticket.arrival, arrZone, locale)}
                <small>{zoneName(arrZone, locale, new Date(ticket.arrival))}</small>
              </dd>
            </>
          )}
          <dt>{t("ticket.wagon")}</dt>
          <dd>{ticket.wagon_number}</dd>
          <dt>{t("ticket.seat")}</dt>
          <dd>{ticket.place_number}</dd>
        </dl>
        {printable && (
          <Link className="print-link" to={`/tickets/${ticket.id}/print`}>
            {t("ticket.print")}
          </Link>
        )}
      </div>
      <QrCode
        value={qrPayload(ticket)}
        size={qrSize}
        alt={t("ticket.qrAlt", { train: ticket.train_number })}
      />
    </article>
  );
}

export function passengerName(profile: { name?: string; preferred_username?: string }): string {
  return profile.name ?? profile.preferred_username ?? "";
}
