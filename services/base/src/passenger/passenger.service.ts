import { HttpError, badRequest, type PageQuery } from "@rail/common";
import type { FaceGateway } from "../face/face.gateway.js";
import type { KeycloakClaims } from "../keycloak/keycloak.verifier.js";
import type { TicketSeller, TicketsService } from "../tickets/tickets.service.js";
import type { PassengerTicketDto, TicketView } from "../timetable/ticket-view.js";
import type { StoreGateway } from "../store/store.gateway.js";
import type { LinkedPassenger, PassengerRepository } from "./passenger.repository.js";
import type { TicketPurchaseBody } from "./passenger.schemas.js";

const NAME_MAX = 60;
const EMAIL_MAX = 256;

/** Name and email for a new base user from token claims, trimmed to the column sizes. */
export function profileFromClaims(claims: KeycloakClaims): { name: string; email: string | null } {
  const name = (claims.name ?? claims.username ?? "Passenger").slice(0, NAME_MAX);
  const email = claims.email && claims.email.length <= EMAIL_MAX ? claims.email.toLowerCase() : null;
  return { name, email };
}

export interface PassengerServiceDeps {
  repository: PassengerRepository;
  tickets: Pick<TicketsService, "listRowsForUser">;
  /** Sells seats of runs (the holds feature). */
  seats: TicketSeller;
  /** Tickets with their runs' stations, local times and status. */
  trips: Pick<TicketView, "present" | "presentOne" | "current">;
  face: FaceGateway;
  store: StoreGateway;
  /** Signed QR codes of tickets (ticket-signing); without it `signed_code` is null. */
  signedCodes?: { signedCodes(ticketIds: string[]): Promise<Map<string, string>> };
}

export class PassengerService {
  constructor(private readonly deps: PassengerServiceDeps) {}

  /**
   * Just-in-time provisioning: the first valid token of a Keycloak subject creates its base user and link.
   * Concurrent first requests race on the link's primary key; the loser's transaction rolls back and it reads
   * the winner's link. An email already owned by another user is not linked (emails are not verified in the
   * realm, so matching on them would let anyone claim someone else's tickets); the new user gets none.
   */
  async resolveUser(claims: KeycloakClaims): Promise<string> {
    const { repository } = this.deps;
    for (let attempt = 0; attempt < 3; attempt++) {
      const profile = profileFromClaims(claims);
      const linked = await repository.findLinkedUser(claims.subject);
      if (linked) {
        await this.refreshProfile(linked, profile);
        return linked.userId;
      }
      const email = profile.email && (await repository.isEmailTaken(profile.email)) ? null : profile.email;
      const created = await repository.createLinkedUser({
        subject: claims.subject,
        name: profile.name,
        email,
      });
      if (created !== "conflict") return created;
    }
    throw new HttpError(503, "Could not provision the passenger, retry");
  }

  /**
   * Keeps name and email in step with Keycloak (a passenger may edit their account there). An email that
   * another user already has is not taken over, for the same reason as at provisioning.
   */
  private async refreshProfile(linked: LinkedPassenger, profile: { name: string; email: string | null }) {
    const changes: { name?: string; email?: string } = {};
    if (profile.name !== linked.name) changes.name = profile.name;
    if (
      profile.email &&
      profile.email !== linked.email &&
      !(await this.deps.repository.isEmailTaken(profile.email))
    ) {
      changes.email = profile.email;
    }
    if (Object.keys(changes).length === 0) return;
    // "email_taken": the email was claimed in between; keep the old one, the name change is retried next time.
    await this.deps.repository.updateProfile(linked.userId, changes);
  }

  /**
   * The passenger's tickets with their runs (stations, local times, status valid/used/expired), each with its
   * signed QR code (`signed_code`, checkable by robots offline).
   */
  async listTickets(userId: string, page: PageQuery) {
    const tickets = await this.deps.tickets.listRowsForUser(userId, page);
    const items = await this.deps.trips.present(tickets.items, { withCode: true });
    return { ...tickets, items: await this.withSignedCodes(items) };
  }

  /** The ticket of the trip in progress (boarded or not), else the next one; 404 `Ticket not found`. */
  async currentTicket(userId: string) {
    return (await this.withSignedCodes([await this.deps.trips.current(userId)]))[0]!;
  }

  /** The ticket with the latest departure, as the reference's get_ticket. */
  async latestTicket(userId: string) {
    const page = await this.listTickets(userId, { page: 1, size: 1 });
    const ticket = page.items[0];
    if (!ticket) throw new HttpError(404, "Ticket not found");
    return ticket;
  }

  private async withSignedCodes<T extends { id: string }>(
    tickets: T[],
  ): Promise<(T & { signed_code: string | null })[]> {
    const codes =
      (await this.deps.signedCodes?.signedCodes(tickets.map((t) => t.id))) ?? new Map<string, string>();
    return tickets.map((t) => ({ ...t, signed_code: codes.get(t.id) ?? null }));
  }

  /**
   * Buys a seat of a run at once (the web app's hold + confirm is the other way). The run is `run_id`, or the
   * run leaving `station_id` at exactly `date` (the old form; 422 when no or several trains do). Runs that have
   * left the station are 400.
   */
  async buyTicket(
    userId: string,
    body: TicketPurchaseBody,
  ): Promise<PassengerTicketDto & { signed_code: string | null }> {
    if (body.station_id === body.destination_id) throw badRequest("Station and destination must differ");
    const ticket = await this.deps.seats.sell(
      userId,
      { run_id: body.run_id, train_number: body.train_number, date: body.date },
      {
        wagon_number: body.wagon_number,
        place_number: body.place_number,
        station_id: body.station_id,
        destination_id: body.destination_id,
      },
      { allowDeparted: false },
    );
    const [sold] = await this.withSignedCodes([await this.deps.trips.presentOne(ticket, { withCode: true })]);
    return sold!;
  }

  async faceStatus(userId: string) {
    if (!(await this.deps.face.has(userId))) throw new HttpError(404, "Face not found");
    return { status: "OK" as const };
  }

  /**
   * Adds a photo as an example of the passenger's face. The face service's 400 details (No faces, Too many
   * faces, Image too small/big) reach the passenger instead of the reference's 500; a face that belongs to
   * someone else is 409 "Face already exists".
   */
  async enrolFace(userId: string, image: Buffer | string) {
    await this.deps.face.enrol(userId, typeof image === "string" ? image : image.toString("base64"));
    return { status: "OK" as const };
  }

  async deleteFace(userId: string) {
    await this.deps.face.remove(userId);
    return { status: "OK" as const };
  }

  orders(userId: string, page: PageQuery) {
    return this.deps.store.userPurchases(userId, page);
  }
}
