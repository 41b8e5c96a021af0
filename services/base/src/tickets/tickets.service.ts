import { HttpError, badRequest, conflict, notFound, paginate, unauthorized } from "@rail/common";
import type { Page, PageQuery } from "@rail/common";
import type { Deps } from "../app.js";
import type { Db } from "../db.js";
import { isForeignKeyViolation, isUniqueViolation } from "../shared/db-errors.js";
import { randomPoolString } from "../shared/random.js";
import { toIso } from "../shared/schemas.js";
import { identifyUser } from "../users/users.service.js";
import { ticketRepository, type TicketRow } from "./tickets.repository.js";
import type { TicketDto, TicketPurchase, TicketSummaryDto, TicketValidation } from "./tickets.schemas.js";

export const TICKET_CODE_LENGTH = 128;

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
  return rest;
};

/**
 * Buys (creates) a ticket for an existing user with a fresh secret code. The seat is unique per
 * (train_number, start_date, wagon_number, place_number) in the database: 409 "Ticket already exists" even under
 * concurrent purchases; 404 "User not found" when the user does not exist. Returns the ticket with its code.
 */
export async function buyTicket(db: Db, userId: string, input: TicketPurchase): Promise<TicketDto> {
  try {
    const ticket = await ticketRepository.create(db, {
      userId,
      trainNumber: input.train_number,
      wagonNumber: input.wagon_number,
      placeNumber: input.place_number,
      stationId: input.station_id,
      destinationId: input.destination,
      date: input.date,
      startDate: input.start_date ?? input.date,
      code: randomPoolString(TICKET_CODE_LENGTH),
    });
    return toTicketDto(ticket, { withCode: true });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("Ticket already exists");
    if (isForeignKeyViolation(err)) throw notFound("User not found");
    throw err;
  }
}

/** A user's tickets, latest departure first, paginated in SQL; codes included (the passenger owns them). */
export function listUserTickets(db: Db, userId: string, page: PageQuery): Promise<Page<TicketDto>> {
  const where = { userId };
  return paginate(
    page,
    () => ticketRepository.count(db, where),
    (w) => ticketRepository.list(db, where, w),
    (t) => toTicketDto(t, { withCode: true }),
  );
}

export const listTickets = (deps: Deps, page: PageQuery): Promise<Page<TicketSummaryDto>> =>
  paginate(
    page,
    () => ticketRepository.count(deps.db),
    (w) => ticketRepository.list(deps.db, {}, w),
    toSummaryDto,
  );

export const deleteTicket = (deps: Deps, id: string) => ticketRepository.delete(deps.db, id);

const rejection = (message: string, ticket: TicketRow) =>
  badRequest({ message, right_ticket: toTicketDto(ticket, { withCode: false }) });

/**
 * Boards the passenger with this ticket: without `mark_as_used` only checks it. A ticket validates once — the mark
 * is one guarded UPDATE, so of concurrent validations exactly one succeeds; the others get "Ticket already used".
 */
async function useTicket(
  deps: Deps,
  ticket: TicketRow,
  markAsUsed: boolean,
  withCode: boolean,
): Promise<TicketDto> {
  if (ticket.used) throw rejection("Ticket already used", ticket);
  if (markAsUsed && !(await ticketRepository.markUsed(deps.db, ticket.id))) {
    throw rejection("Ticket already used", (await ticketRepository.findById(deps.db, ticket.id)) ?? ticket);
  }
  return toTicketDto(ticket, { withCode });
}

/** `POST /robot/ticket_validation` (reference 3.2.2): by face (takes precedence) or by QR code. */
export async function validateTicket(deps: Deps, req: TicketValidation): Promise<TicketDto> {
  if (req.face !== null) return validateByFace(deps, req, req.face);
  if (req.code !== null) return validateByCode(deps, req, req.code);
  throw new HttpError(422);
}

async function validateByCode(deps: Deps, req: TicketValidation, code: string): Promise<TicketDto> {
  // Whatever text a QR code holds, a wrong code is 401 (the column holds TICKET_CODE_LENGTH characters).
  const known = code && code.length <= TICKET_CODE_LENGTH;
  const ticket = known ? await ticketRepository.findByCode(deps.db, code) : null;
  if (!ticket) throw unauthorized("Invalid ticket code");
  // Whoever holds the code may learn which train/wagon/time it is for.
  if (ticket.trainNumber !== req.train_number || ticket.stationId !== req.station_id)
    throw rejection("Invalid train number", ticket);
  if (ticket.date.getTime() !== req.date.getTime()) throw rejection("Invalid date", ticket);
  if (ticket.wagonNumber !== req.wagon_number) throw rejection("Invalid wagon number", ticket);
  return useTicket(deps, ticket, req.mark_as_used, true);
}

async function validateByFace(deps: Deps, req: TicketValidation, face: string): Promise<TicketDto> {
  const user = await identifyUser(deps, face, "Face not found");
  const base = { userId: user.id, stationId: req.station_id };
  const exact = await ticketRepository.findFirst(deps.db, {
    ...base,
    trainNumber: req.train_number,
    wagonNumber: req.wagon_number,
    date: req.date,
  });
  if (exact) return useTicket(deps, exact, req.mark_as_used, false);
  const otherWagon = await ticketRepository.findFirst(deps.db, {
    ...base,
    trainNumber: req.train_number,
    date: req.date,
  });
  if (otherWagon) throw rejection("Invalid wagon number", otherWagon);
  const laterOnTrain = await ticketRepository.findFirst(deps.db, {
    ...base,
    trainNumber: req.train_number,
    date: { gte: req.date },
  });
  if (laterOnTrain) throw rejection("Invalid date", laterOnTrain);
  const anyLater = await ticketRepository.findFirst(deps.db, { userId: user.id, date: { gte: req.date } });
  if (anyLater) throw rejection("Invalid train number", anyLater);
  throw badRequest("User haven`t any active tickets");
}

/** `POST /robot/user/current_ticket`: the ticket the passenger boarded the train run with (code withheld). */
export async function currentTicket(
  deps: Deps,
  userId: string,
  trainNumber: number,
  startDate: Date,
): Promise<TicketDto> {
  const ticket = await ticketRepository.findBoarded(deps.db, userId, trainNumber, startDate);
  if (!ticket) throw notFound("Ticket not found");
  return toTicketDto(ticket, { withCode: false });
}

// A train that left up to this long ago still counts as the passenger's current trip from that station.
const CURRENT_TRIP_GRACE_MS = 12 * 3600_000;

/**
 * `GET /robot/station/{station_id}/user/{user_id}/current_ticket` (the robot client's call): the passenger's next
 * not yet used ticket departing from that station (departures up to 12 h ago included), code withheld.
 */
export async function currentTicketAtStation(
  deps: Deps,
  stationId: string,
  userId: string,
): Promise<TicketDto> {
  const ticket = await ticketRepository.findFirst(deps.db, {
    userId,
    stationId,
    used: false,
    date: { gte: new Date(Date.now() - CURRENT_TRIP_GRACE_MS) },
  });
  if (!ticket) throw notFound("Ticket not found");
  return toTicketDto(ticket, { withCode: false });
}

/**
 * `POST /robot/determine_destination`: where the boarded passenger travels. No boarded ticket → 400 "Ticket not
 * found": the robot client reads 400 as "no destination" (reference 12.3 item 7, 13.3 item 12), anything else raises.
 */
export async function determineDestination(deps: Deps, userId: string, trainNumber: number, startDate: Date) {
  const ticket = await ticketRepository.findBoarded(deps.db, userId, trainNumber, startDate);
  if (!ticket) throw badRequest("Ticket not found");
  return { id: ticket.destinationId };
}
