import { describe, expect, it } from "vitest";
import { qrPayload, splitTickets, type Ticket } from "./model.js";

const now = Date.parse("2026-12-01T12:00:00Z");
const ticket = (id: string, departure: string, extra: Partial<Ticket> = {}): Ticket =>
  ({
    id,
    user_id: "u",
    train_number: 1,
    wagon_number: 1,
    place_number: 1,
    station_id: "MOSCOW",
    destination: "SPB",
    date: departure,
    start_date: departure,
    code: `code-${id}`,
    signed_code: null,
    run_id: "r",
    status: "valid",
    departure,
    arrival: new Date(Date.parse(departure) + 4 * 3_600_000).toISOString(),
    ...extra,
  }) as Ticket;

describe("tickets", () => {
  it("splits upcoming (soonest first) from past (latest first) by status and arrival", () => {
    const { upcoming, past } = splitTickets(
      [
        ticket("later", "2026-12-05T06:00:00Z", { status: "valid", arrival: "2026-12-05T10:00:00Z" }),
        ticket("soon", "2026-12-02T06:00:00Z", { status: "valid", arrival: "2026-12-02T10:00:00Z" }),
        ticket("onboard", "2026-12-01T10:00:00Z", { status: "valid", arrival: "2026-12-01T14:00:00Z" }),
        ticket("used", "2026-12-03T06:00:00Z", { status: "used" }),
        ticket("old", "2026-11-20T06:00:00Z", { status: "expired" }),
      ],
      now,
    );
    expect(upcoming.map((t) => t.id)).toEqual(["onboard", "soon", "later"]);
    expect(past.map((t) => t.id)).toEqual(["used", "old"]);
  });

  it("puts the signed code into the QR code when the service issues one", () => {
    expect(qrPayload(ticket("a", "2026-12-02T06:00:00Z", { signed_code: "RT1:abc" }))).toBe("RT1:abc");
    expect(qrPayload(ticket("b", "2026-12-02T06:00:00Z", { signed_code: null }))).toBe("code-b");
  });
});
