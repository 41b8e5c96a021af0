import { HttpError, badRequest, notFound, paginate, unauthorized } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import { isSignedTicketCode } from "@rail/robot-sdk/ticket-code";
import { toIso } from "../shared/schemas.js";
import type { TicketsRepository, TicketRow } from "./tickets.repository.js";
import type {
  AdminTicketsQuery,
  TicketDto,
  TicketPurchase,
  TicketSummaryDto,
  TicketValidation,
} from "./tickets.schemas.js";

export const TICKET_CODE_LENGTH = 128;

// A train that left up to this long ago still counts as the passenger's current trip from that station.
const CURRENT_TRIP_GRACE_MS = 12 * 3600_000;

export const toTicketDto = (t: TicketRow, opts: { withCode: boolean }): TicketDto => ({
  user_id: t.userId,
  train_number: t.trainNumber,
  wagon_number: t.wagonNumber,
  place_number: t.placeNumber,
  station_id: t.stationId,
  destination: t.destinationId,
  date: toIso(t.date),
  start_date: toIso(t.startDate),
  id: t.id,
  // The reference sends "" where the code must not travel.
  code: opts.withCode ? t.code : "",
});

const toSummaryDto = (t: TicketRow): TicketSummaryDto => {
  const { code: _code, ...rest } = toTicketDto(t, { withCode: false });
  return { ...rest, run_id: t.runId };
};

const rejection = (message: string, ticket: TicketRow) =>
  badRequest({ message, right_ticket: toTicketDto(ticket, { withCode: false }) });

/** Whose face this is (the users feature): 404 `notFoundDetail` for nobody known, 422 unrecognisable, 503. */
export interface PassengerIdentifier {
  /** `among`: compare only with these users (a run's manifest); everyone enrolled when absent. */
  identify(image: string, notFoundDetail?: string, among?: string[]): Promise<{ id: string }>;
}

/** Signed QR codes (the ticket-signing feature): authenticity of a code, and the deny list of deleted tickets. */
export interface SignedTicketCodes {
  /** The ticket id of an authentic signed code; 401 `Invalid ticket code` otherwise. */
  claimsOrUnauthorized(code: string): Promise<{ ticketId: string }>;
  revokeTicket(ticketId: string): Promise<void>;
}

/** Sells seats of runs (the holds feature): run lookup, seat checks, hold respect, the ticket row. */
export interface TicketSeller {
  sell(
    userId: string,
    ref: { run_id?: string; train_number?: number; start_date?: Date; date?: Date },
    seat: { wagon_number: number; place_number: number; station_id: string; destination_id: string },
    opts: { allowDeparted: boolean },
  ): Promise<TicketRow>;
}

export class TicketsService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly passengers: PassengerIdentifier,
    private readonly signedCodes: SignedTicketCodes | null,
    private readonly seats: TicketSeller | null,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Buys (creates) a ticket for an existing user with a fresh secret code, on the run the purchase names (422
   * when nothing matches). `train_number`, `date` and `start_date` come from the run. The seat is unique per run
   * in the database: 409 "Ticket already exists" even under concurrent purchases, 409 "Seat is held by another
   * passenger" during someone's hold; 404 "User not found" when the user does not exist.
   */
  async buy(userId: string, input: TicketPurchase, opts = { allowDeparted: true }): Promise<TicketDto> {
    if (!this.seats) throw new Error("TicketsService was built without a seat seller");
    const ticket = await this.seats.sell(
      userId,
      {
        run_id: input.run_id,
        train_number: input.train_number,
        start_date: input.start_date,
        date: input.date,
      },
      {
        wagon_number: input.wagon_number,
        place_number: input.place_number,
        station_id: input.station_id,
        destination_id: input.destination,
      },
      opts,
    );
    return toTicketDto(ticket, { withCode: true });
  }

  /** A user's tickets, latest departure first, paginated in SQL; codes included (the passenger owns them). */
  listForUser(userId: string, page: PageQuery): Promise<Page<TicketDto>> {
    return paginate(
      page,
      () => this.tickets.count(userId),
      (w) => this.tickets.list(userId, w),
      (t) => toTicketDto(t, { withCode: true }),
    );
  }

  /** A user's ticket rows, latest departure first (for views that add more than the wire shape). */
  listRowsForUser(userId: string, page: PageQuery): Promise<Page<TicketRow>> {
    return paginate(
      page,
      () => this.tickets.count(userId),
      (w) => this.tickets.list(userId, w),
    );
  }

  /** Every ticket (admin view), without codes; optionally one passenger's, one run's, one train's. */
  list(query: AdminTicketsQuery): Promise<Page<TicketSummaryDto>> {
    const filter = {
      ...(query.user_id !== undefined ? { userId: query.user_id } : {}),
      ...(query.run_id !== undefined ? { runId: query.run_id } : {}),
      ...(query.train_number !== undefined ? { trainNumber: query.train_number } : {}),
    };
    return paginate(
      query,
      () => this.tickets.countWhere(filter),
      (w) => this.tickets.listWhere(filter, w),
      toSummaryDto,
    );
  }

  /** Idempotent. Signed codes of the ticket go on its run's deny list first (robots checking offline refuse them). */
  async delete(id: string): Promise<void> {
    await this.signedCodes?.revokeTicket(id);
    return this.tickets.delete(id);
  }

  /** `POST /robot/ticket_validation` (reference 3.2.2): by face (takes precedence) or by QR code. */
  validate(req: TicketValidation): Promise<TicketDto> {
    if (req.face !== null) return this.validateByFace(req, req.face);
    if (req.code !== null) return this.validateByCode(req, req.code);
    throw new HttpError(422);
  }

  /**
   * Boards the passenger with this ticket: without `mark_as_used` only checks it. A ticket validates once — the
   * mark is one guarded UPDATE, so of concurrent validations exactly one succeeds; the others get "Ticket already
   * used".
   */
  private async use(ticket: TicketRow, markAsUsed: boolean, withCode: boolean): Promise<TicketDto> {
    if (ticket.used) throw rejection("Ticket already used", ticket);
    if (markAsUsed && !(await this.tickets.markUsed(ticket.id))) {
      throw rejection("Ticket already used", (await this.tickets.findById(ticket.id)) ?? ticket);
    }
    return toTicketDto(ticket, { withCode });
  }

  private async validateByCode(req: TicketValidation, code: string): Promise<TicketDto> {
    // A signed code (RT1:…, see src/ticket-signing) names its ticket; the secret code is withheld in the answer.
    if (this.signedCodes && isSignedTicketCode(code)) {
      const { ticketId } = await this.signedCodes.claimsOrUnauthorized(code);
      const ticket = await this.tickets.findById(ticketId);
      if (!ticket) throw unauthorized("Invalid ticket code");
      return this.checkCodeTicket(req, ticket, false);
    }
    // Whatever text a QR code holds, a wrong code is 401 (the column holds TICKET_CODE_LENGTH characters).
    const known = code && code.length <= TICKET_CODE_LENGTH;
    const ticket = known ? await this.tickets.findByCode(code) : null;
    if (!ticket) throw unauthorized("Invalid ticket code");
    return this.checkCodeTicket(req, ticket, true);
  }

  private checkCodeTicket(req: TicketValidation, ticket: TicketRow, withCode: boolean): Promise<TicketDto> {
    // Whoever holds the code may learn which train/wagon/time it is for.
    if (ticket.trainNumber !== req.train_number || ticket.stationId !== req.station_id)
      throw rejection("Invalid train number", ticket);
    if (ticket.date.getTime() !== req.date.getTime()) throw rejection("Invalid date", ticket);
    if (ticket.wagonNumber !== req.wagon_number) throw rejection("Invalid wagon number", ticket);
    return this.use(ticket, req.mark_as_used, withCode);
  }

  /**
   * The reference's five steps (a-e): exact ticket, other wagon, later on this train, any later, none. The face is
   * compared only with this run's manifest (issue 14), so a passenger found has a ticket here: (a) or (b) apply;
   * someone with a ticket for another run is not found by face and uses the QR code, which points to it.
   */
  private async validateByFace(req: TicketValidation, face: string): Promise<TicketDto> {
    // Only the passengers holding a ticket on this run from this station are candidates (the manifest): a
    // stranger, enrolled or not, can never be taken for one of them, and a look-alike among them is refused.
    const manifest = await this.tickets.holders({
      trainNumber: req.train_number,
      stationId: req.station_id,
      date: req.date,
    });
    const user = await this.passengers.identify(face, "Face not found", manifest);
    const atStation = { userId: user.id, stationId: req.station_id };
    const exact = await this.tickets.findNext({
      ...atStation,
      trainNumber: req.train_number,
      wagonNumber: req.wagon_number,
      date: req.date,
    });
    if (exact) return this.use(exact, req.mark_as_used, false);
    const otherWagon = await this.tickets.findNext({
      ...atStation,
      trainNumber: req.train_number,
      date: req.date,
    });
    if (otherWagon) throw rejection("Invalid wagon number", otherWagon);
    const laterOnTrain = await this.tickets.findNext({
      ...atStation,
      trainNumber: req.train_number,
      departsFrom: req.date,
    });
    if (laterOnTrain) throw rejection("Invalid date", laterOnTrain);
    const anyLater = await this.tickets.findNext({ userId: user.id, departsFrom: req.date });
    if (anyLater) throw rejection("Invalid train number", anyLater);
    throw badRequest("User haven`t any active tickets");
  }

  /** `POST /robot/user/current_ticket`: the ticket the passenger boarded the train run with (code withheld). */
  async current(userId: string, trainNumber: number, startDate: Date): Promise<TicketDto> {
    const ticket = await this.tickets.findBoarded(userId, trainNumber, startDate);
    if (!ticket) throw notFound("Ticket not found");
    return toTicketDto(ticket, { withCode: false });
  }

  /**
   * `GET /robot/station/{station_id}/user/{user_id}/current_ticket` (the robot client's call): the passenger's next
   * not yet used ticket departing from that station (departures up to 12 h ago included), code withheld.
   */
  async currentAtStation(stationId: string, userId: string): Promise<TicketDto> {
    const ticket = await this.tickets.findNext({
      userId,
      stationId,
      unusedOnly: true,
      departsFrom: new Date(this.now().getTime() - CURRENT_TRIP_GRACE_MS),
    });
    if (!ticket) throw notFound("Ticket not found");
    return toTicketDto(ticket, { withCode: false });
  }

  /**
   * `POST /robot/determine_destination`: where the boarded passenger travels. No boarded ticket → 400 "Ticket not
   * found": the robot client reads 400 as "no destination" (reference 12.3 item 7, 13.3 item 12), anything else
   * raises.
   */
  async determineDestination(userId: string, trainNumber: number, startDate: Date): Promise<{ id: string }> {
    const ticket = await this.tickets.findBoarded(userId, trainNumber, startDate);
    if (!ticket) throw badRequest("Ticket not found");
    return { id: ticket.destinationId };
  }
}
