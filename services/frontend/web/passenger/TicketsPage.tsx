import { useEffect } from "react";
import { Link } from "react-router";
import { ok } from "../api/client.js";
import { describeError } from "../app/errors.js";
import { useServices, useUser } from "../app/services.js";
import { useAsync } from "../app/useAsync.js";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";
import { splitTickets, type Ticket } from "./model.js";
import { passengerName, TicketCard } from "./TicketCard.js";

/** The newest tickets: enough for any passenger's upcoming trips and recent past. */
const PAGE_SIZE = 50;

export function useTickets() {
  const { api } = useServices();
  return useAsync(
    async () =>
      (await ok(api.GET("/frontend/tickets", { params: { query: { page: 1, size: PAGE_SIZE } } })))
        .items as Ticket[],
    [api],
  );
}

export function TicketsPage() {
  const { t } = useLocale();
  const user = useUser();
  const tickets = useTickets();
  useEffect(() => {
    document.title = `${t("tickets.title")} · ${t("brand")}`;
  }, [t]);
  const passenger = user ? passengerName(user.profile) : "";
  return (
    <section>
      <header className="page-head">
        <h1>{t("tickets.title")}</h1>
        <Link className="button" to="/buy">
          {t("nav.buy")}
        </Link>
      </header>
      {tickets.status === "loading" && <Message kind="info">{t("common.loading")}</Message>}
      {tickets.status === "error" && <Message kind="error">{describeError(t, tickets.error)}</Message>}
      {tickets.status === "ok" &&
        (tickets.data.length === 0 ? (
          <Message kind="info">{t("tickets.none")}</Message>
        ) : (
          <TicketLists tickets={tickets.data} passenger={passenger} />
        ))}
    </section>
  );
}

function TicketLists({ tickets, passenger }: { tickets: Ticket[]; passenger: string }) {
  const { t } = useLocale();
  const { upcoming, past } = splitTickets(tickets);
  return (
    <>
      <h2 className="section-title">{t("tickets.upcoming", { count: upcoming.length })}</h2>
      {upcoming.length === 0 ? (
        <Message kind="info">{t("tickets.noUpcoming")}</Message>
      ) : (
        <div className="list">
          {upcoming.map((ticket) => (
            <TicketCard key={ticket.id} ticket={ticket} passenger={passenger} />
          ))}
        </div>
      )}
      {past.length > 0 && (
        <>
          <h2 className="section-title">{t("tickets.past", { count: past.length })}</h2>
          <div className="list past">
            {past.map((ticket) => (
              <TicketCard key={ticket.id} ticket={ticket} passenger={passenger} qrSize={120} />
            ))}
          </div>
        </>
      )}
    </>
  );
}
