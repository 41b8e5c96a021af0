import { z } from "zod";
import { notFound } from "@rail/common";
import type { RunLayout } from "../runs/runs.repository.js";
import { isoInZone } from "../stations/local-time.js";
import { stationSchema } from "../stations/stations.schemas.js";
import { toStationDto } from "../stations/stations.service.js";
import { ticketSchema } from "../tickets/tickets.schemas.js";
import { toTicketDto } from "../tickets/tickets.service.js";
import type { TicketRow } from "../holds/holds.repository.js";

const MINUTE = 60_000;

export const TICKET_STATUSES = ["valid", "used", "expired"] as const;

/** A passenger's ticket with its run: the reference's fields plus where and when, in local times. */
export const passengerTicketSchema = ticketSchema.extend({
  run_id: z.string(),
  /** `used` once validated on board; `expired` when unused and the train has reached the destination. */
  status: z.enum(TICKET_STATUSES),
  from: stationSchema,
  to: stationSchema,
  /** Departure from `from`, ISO 8601 with its offset. */
  departure: z.string(),
  /** Arrival at `to`, ISO 8601 with its offset. */
  arrival: z.string(),
});
export type PassengerTicketDto = z.infer<typeof passengerTicketSchema>;

export interface RunLayouts {
  layouts(ids: string[]): Promise<RunLayout[]>;
}

export interface CurrentTickets {
  currentTicket(userId: string, now: Date): Promise<TicketRow | null>;
}

/** Presents tickets with their runs' stations and times (one query for the runs of a page of tickets). */
export class TicketView {
  constructor(
    private readonly runs: RunLayouts,
    private readonly tickets: CurrentTickets,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The passenger's ticket for the trip in progress, else the next one (with its code); 404 without one. */
  async current(userId: string): Promise<PassengerTicketDto> {
    const ticket = await this.tickets.currentTicket(userId, this.now());
    if (!ticket) throw notFound("Ticket not found");
    return this.presentOne(ticket, { withCode: true });
  }

  async present(tickets: TicketRow[], opts: { withCode: boolean }): Promise<PassengerTicketDto[]> {
    const layouts = new Map(
      (await this.runs.layouts([...new Set(tickets.map((t) => t.runId))])).map((r) => [r.id, r]),
    );
    const now = this.now().getTime();
    return tickets.map((t) => {
      const run = layouts.get(t.runId);
      const from = run?.stops.find((s) => s.stationId === t.stationId);
      const to = run?.stops.find((s) => s.stationId === t.destinationId);
      // Tickets always name stops of their run's train (the route cannot change once a ticket is sold).
      if (!run || !from || !to) throw new Error(`Ticket ${t.id} does not match its run's route`);
      const arrival = new Date(run.departure.getTime() + to.arrivalMinutes * MINUTE);
      const status = t.used ? "used" : arrival.getTime() < now ? "expired" : "valid";
      return {
        ...toTicketDto(t, opts),
        run_id: t.runId,
        status,
        from: toStationDto(from.station),
        to: toStationDto(to.station),
        departure: isoInZone(t.date, from.station.timeZone),
        arrival: isoInZone(arrival, to.station.timeZone),
      };
    });
  }

  async presentOne(ticket: TicketRow, opts: { withCode: boolean }): Promise<PassengerTicketDto> {
    return (await this.present([ticket], opts))[0]!;
  }
}
