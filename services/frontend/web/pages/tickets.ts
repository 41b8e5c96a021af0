import QRCode from "qrcode";
import type { Ticket } from "../api.js";
import { formatMoscow, h, message, pagerControls, replace } from "../dom.js";
import type { PageContext } from "./context.js";

const STATION_NAMES: Record<string, string> = { MOSCOW: "Moscow", SPB: "Saint Petersburg" };
const stationName = (id: string) => STATION_NAMES[id] ?? id;
const PAGE_SIZE = 10;

async function ticketCard(ticket: Ticket): Promise<HTMLElement> {
  // The QR code carries the ticket's secret code: what the robot's scanner sends to ticket_validation.
  const qr = await QRCode.toDataURL(ticket.code, { errorCorrectionLevel: "M", margin: 1, width: 220 });
  return h(
    "article",
    { class: "card ticket" },
    h(
      "div",
      {},
      h("h2", {}, `${stationName(ticket.station_id)} → ${stationName(ticket.destination)}`),
      h("p", { class: "when" }, formatMoscow(ticket.date)),
      h(
        "dl",
        {},
        h("dt", {}, "Train"),
        h("dd", {}, ticket.train_number),
        h("dt", {}, "Wagon"),
        h("dd", {}, ticket.wagon_number),
        h("dt", {}, "Seat"),
        h("dd", {}, ticket.place_number),
      ),
    ),
    h("img", {
      class: "qr",
      src: qr,
      alt: `QR code of the ticket for train ${ticket.train_number}`,
      width: 220,
      height: 220,
    }),
  );
}

export async function ticketsPage({ api, navigate }: PageContext): Promise<HTMLElement> {
  const list = h("div", { class: "list" });
  const pager = h("nav", { class: "pager" });
  const section = h(
    "section",
    {},
    h(
      "header",
      { class: "page-head" },
      h("h1", {}, "My tickets"),
      h("button", { onclick: () => navigate("/buy") }, "Buy a ticket"),
    ),
    list,
    pager,
  );

  async function show(page: number) {
    replace(list, message("info", "Loading tickets…"));
    try {
      const result = await api.tickets(page, PAGE_SIZE);
      if (result.total === 0) {
        replace(list, message("info", "You have no tickets yet."));
        replace(pager);
        return;
      }
      replace(list, ...(await Promise.all(result.items.map(ticketCard))));
      replace(pager, ...pagerControls(result, (p) => void show(p)));
    } catch (err) {
      replace(list, message("error", (err as Error).message));
    }
  }
  await show(1);
  return section;
}
