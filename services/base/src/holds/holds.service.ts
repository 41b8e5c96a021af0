import { HttpError, badRequest, conflict, notFound } from "@rail/common";
import { assertSeat, journeyOf, type RunsService, type TicketRunRef } from "../runs/runs.service.js";
import type { RunLayout } from "../runs/runs.repository.js";
import type { HoldRow, HoldsRepository, SeatClaim, TicketFacts, TicketRow } from "./holds.repository.js";
import type { HoldDto, SeatRequest } from "./holds.schemas.js";

const refusals = {
  taken: () => conflict("Seat already taken"),
  held: () => conflict("Seat is held by another passenger"),
} as const;

// Direct purchases keep the reference's wording for a sold seat.
const purchaseRefusals = { ...refusals, taken: () => conflict("Ticket already exists") } as const;

export interface HoldsOptions {
  /** How long a hold keeps a seat. */
  ttlSeconds: number;
  /** How many seats one passenger may hold at once (default 10). */
  maxHoldsPerPassenger?: number;
  /** A fresh secret ticket code. */
  newTicketCode: () => string;
  now?: () => Date;
}

/**
 * Seats of runs: holds with a time limit, their confirmation into tickets, and direct purchases. Every ticket
 * is created here, so its train number, `date` (departure from the boarding station) and `start_date` (the run's
 * departure from the origin) are always derived from the run, never typed in.
 */
export class HoldsService {
  private readonly now: () => Date;

  constructor(
    private readonly holds: HoldsRepository,
    private readonly runs: Pick<RunsService, "layout" | "locate">,
    private readonly options: HoldsOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** Checks the seat and the stations against the run; the ticket facts the seat would get. */
  private claim(run: RunLayout, userId: string, seat: Omit<SeatRequest, "run_id">, allowDeparted: boolean) {
    assertSeat(run, seat.wagon_number, seat.place_number);
    const journey = journeyOf(run, seat.station_id, seat.destination_id);
    if (!allowDeparted && journey.departure.getTime() <= this.now().getTime())
      throw badRequest(`Train ${run.trainNumber} has already left ${seat.station_id}`);
    const claim: SeatClaim = {
      runId: run.id,
      wagonNumber: seat.wagon_number,
      placeNumber: seat.place_number,
      userId,
      stationId: seat.station_id,
      destinationId: seat.destination_id,
    };
    const facts = (): TicketFacts => ({
      trainNumber: run.trainNumber,
      date: journey.departure,
      startDate: run.departure,
      code: this.options.newTicketCode(),
    });
    return { claim, facts };
  }

  private toDto(hold: HoldRow, trainNumber: number): HoldDto {
    return {
      id: hold.id,
      run_id: hold.runId,
      train_number: trainNumber,
      wagon_number: hold.wagonNumber,
      place_number: hold.placeNumber,
      station_id: hold.stationId,
      destination_id: hold.destinationId,
      expires_at: hold.expiresAt.toISOString(),
    };
  }

  /** Holds a seat for the passenger (409 when sold or held by someone else; holding it again extends it). */
  async hold(userId: string, seat: SeatRequest): Promise<HoldDto> {
    const run = await this.runs.layout(seat.run_id);
    const { claim } = this.claim(run, userId, seat, false);
    const max = this.options.maxHoldsPerPassenger ?? 10;
    const hold = await this.holds.hold(claim, this.options.ttlSeconds, max);
    if (hold === "limit")
      throw new HttpError(429, `You already hold ${max} seats: confirm or release some first`);
    if (typeof hold === "string") throw refusals[hold]();
    return this.toDto(hold, run.trainNumber);
  }

  async listHolds(userId: string): Promise<HoldDto[]> {
    const holds = await this.holds.listLive(userId);
    const trains = new Map<string, number>();
    for (const runId of new Set(holds.map((h) => h.runId)))
      trains.set(runId, (await this.runs.layout(runId)).trainNumber);
    return holds.map((h) => this.toDto(h, trains.get(h.runId) ?? 0));
  }

  /** The passenger's live hold becomes their ticket (404 unknown or someone else's, 410 expired). */
  async confirm(userId: string, holdId: string): Promise<TicketRow> {
    const hold = await this.holds.findOwn(holdId, userId);
    if (!hold) throw notFound("Hold not found");
    const run = await this.runs.layout(hold.runId);
    const { facts } = this.claim(run, userId, toSeat(hold), false);
    const ticket = await this.holds.confirm(holdId, userId, facts());
    if (ticket === "missing") throw notFound("Hold not found");
    if (ticket === "expired") throw new HttpError(410, "Hold expired");
    if (ticket === "taken") throw refusals.taken();
    return ticket;
  }

  release(userId: string, holdId: string): Promise<void> {
    return this.holds.release(holdId, userId);
  }

  /**
   * Sells a seat of the run at once (the passenger's hold of it, if any, is consumed). Engineers may sell seats
   * of runs that have already left (`allowDeparted`), passengers may not.
   */
  async purchase(
    userId: string,
    run: RunLayout,
    seat: Omit<SeatRequest, "run_id">,
    opts: { allowDeparted: boolean },
  ): Promise<TicketRow> {
    const { claim, facts } = this.claim(run, userId, seat, opts.allowDeparted);
    const ticket = await this.holds.purchase(claim, facts());
    if (ticket === "unknown_user") throw notFound("User not found");
    if (typeof ticket === "string") throw purchaseRefusals[ticket]();
    return ticket;
  }

  /** Sells a seat of the run the caller names (see RunsService.locate): the admin and old passenger forms. */
  async sell(
    userId: string,
    ref: TicketRunRef,
    seat: Omit<SeatRequest, "run_id">,
    opts: { allowDeparted: boolean },
  ): Promise<TicketRow> {
    return this.purchase(userId, await this.runs.locate(ref, seat.station_id), seat, opts);
  }
}

const toSeat = (h: HoldRow): Omit<SeatRequest, "run_id"> => ({
  wagon_number: h.wagonNumber,
  place_number: h.placeNumber,
  station_id: h.stationId,
  destination_id: h.destinationId,
});
