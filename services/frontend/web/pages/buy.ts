import { ApiError } from "../api.js";
import { h, message, replace } from "../dom.js";
import type { PageContext } from "./context.js";

/** Departures from either station, Moscow time (the base API derives the train number from them). */
const DEPARTURES = ["05:00", "09:00", "13:00", "17:00"];
const MAX_WAGON = 20;
const MAX_PLACE = 100;

/** Today's date in Moscow as YYYY-MM-DD (the earliest day one can book). */
function moscowToday(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Moscow" }).format(new Date());
}

export async function buyPage({ api, navigate }: PageContext): Promise<HTMLElement> {
  const status = h("div", { class: "status" });
  const direction = h(
    "select",
    { name: "direction", required: true },
    h("option", { value: "MOSCOW-SPB" }, "Moscow → Saint Petersburg"),
    h("option", { value: "SPB-MOSCOW" }, "Saint Petersburg → Moscow"),
  );
  const day = h("input", {
    type: "date",
    name: "day",
    required: true,
    min: moscowToday(),
    value: moscowToday(),
  });
  const time = h(
    "select",
    { name: "time", required: true },
    ...DEPARTURES.map((t) => h("option", { value: t }, `${t} (Moscow)`)),
  );
  const wagon = h("input", {
    type: "number",
    name: "wagon",
    required: true,
    min: 1,
    max: MAX_WAGON,
    value: 1,
  });
  const place = h("input", {
    type: "number",
    name: "place",
    required: true,
    min: 1,
    max: MAX_PLACE,
    value: 1,
  });
  const submit = h("button", { type: "submit" }, "Buy ticket");

  const form = h(
    "form",
    { class: "card form" },
    h("label", {}, "Direction", direction),
    h("div", { class: "row" }, h("label", {}, "Day", day), h("label", {}, "Departure", time)),
    h(
      "div",
      { class: "row" },
      h("label", {}, `Wagon (1–${MAX_WAGON})`, wagon),
      h("label", {}, `Seat (1–${MAX_PLACE})`, place),
    ),
    submit,
    status,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const [station, destination] = direction.value.split("-") as ["MOSCOW" | "SPB", "MOSCOW" | "SPB"];
      const date = new Date(`${day.value}T${time.value}:00+03:00`).toISOString();
      submit.disabled = true;
      replace(status, message("info", "Buying…"));
      try {
        const ticket = await api.buyTicket({
          station_id: station,
          destination_id: destination,
          date,
          wagon_number: Number(wagon.value),
          place_number: Number(place.value),
        });
        replace(
          status,
          message(
            "ok",
            `Done: train ${ticket.train_number}, wagon ${ticket.wagon_number}, seat ${ticket.place_number}.`,
          ),
          h("button", { type: "button", onclick: () => navigate("/tickets") }, "Show my tickets"),
        );
      } catch (err) {
        const text =
          err instanceof ApiError && err.status === 409
            ? "This seat is already taken on that train: pick another."
            : (err as Error).message;
        replace(status, message("error", text));
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return h("section", {}, h("h1", {}, "Buy a ticket"), form);
}
