import { useEffect } from "react";
import { Link, useParams } from "react-router";
import { describeError } from "../app/errors.js";
import { useUser } from "../app/services.js";
import { Message } from "../components/Message.js";
import { useLocale } from "../i18n/index.js";
import { passengerName, TicketCard } from "./TicketCard.js";
import { useTickets } from "./TicketsPage.js";

/** One ticket on a plain page for printing (print CSS hides the buttons). */
export function TicketPrintPage() {
  const { ticketId } = useParams();
  const { t } = useLocale();
  const user = useUser();
  const tickets = useTickets();
  useEffect(() => {
    document.title = `${t("ticket.printTitle")} · ${t("brand")}`;
  }, [t]);
  const ticket = tickets.data?.find((x) => x.id === ticketId);
  return (
    <main className="print-page">
      <p className="brand-print">{t("brand")}</p>
      {tickets.status === "loading" && <Message kind="info">{t("common.loading")}</Message>}
      {tickets.status === "error" && <Message kind="error">{describeError(t, tickets.error)}</Message>}
      {tickets.status === "ok" && !ticket && <Message kind="error">{t("ticket.notFound")}</Message>}
      {ticket && (
        <TicketCard
          ticket={ticket}
          passenger={user ? passengerName(user.profile) : ""}
          qrSize={320}
          printable={false}
        />
      )}
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t("ticket.printNow")}
        </button>
        <Link className="button secondary" to="/tickets">
          {t("ticket.back")}
        </Link>
      </div>
    </main>
  );
}
