import { HttpError, badRequest, type PageQuery } from "@rail/common";
import type { FaceGateway } from "../face/face.gateway.js";
import type { KeycloakClaims } from "../keycloak/keycloak.verifier.js";
import type { TicketsService } from "../tickets/tickets.service.js";
import type { StoreGateway } from "../store/store.gateway.js";
import type { LinkedPassenger, PassengerRepository } from "./passenger.repository.js";
import type { TicketPurchaseBody } from "./passenger.schemas.js";

/** Moscow has been UTC+3 all year since 2014; departures are timetabled in Moscow time. */
const MOSCOW_OFFSET_HOURS = 3;
/** Departure hour (Moscow time) → last two digits of the train number, as in the reference timetable. */
const DEPARTURES: Record<number, number> = { 5: 12, 9: 13, 13: 14, 17: 15 };
const STATION_PREFIX = { MOSCOW: 1, SPB: 2 } as const;
const NAME_MAX = 60;
const EMAIL_MAX = 256;

/**
 * The train leaving `station` at `date`, or null when no train departs then. The reference took the hour in
 * whatever offset the client sent (UTC clients always got "Invalid time"); here the instant is converted to
 * Moscow time first, and only whole hours match, so the stored date equals the train's departure instant.
 */
export function trainNumberFor(station: keyof typeof STATION_PREFIX, date: Date): number | null {
  if (date.getUTCMinutes() !== 0 || date.getUTCSeconds() !== 0 || date.getUTCMilliseconds() !== 0)
    return null;
  const hour = (date.getUTCHours() + MOSCOW_OFFSET_HOURS) % 24;
  const suffix = DEPARTURES[hour];
  return suffix === undefined ? null : STATION_PREFIX[station] * 1000 + suffix;
}

/** Name and email for a new base user from token claims, trimmed to the column sizes. */
export function profileFromClaims(claims: KeycloakClaims): { name: string; email: string | null } {
  const name = (claims.name ?? claims.username ?? "Passenger").slice(0, NAME_MAX);
  const email = claims.email && claims.email.length <= EMAIL_MAX ? claims.email.toLowerCase() : null;
  return { name, email };
}

export interface PassengerServiceDeps {
  repository: PassengerRepository;
  tickets: TicketsService;
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

  /** The passenger's tickets, each with its signed QR code (`signed_code`, checkable by robots offline). */
  async listTickets(userId: string, page: PageQuery) {
    const tickets = await this.deps.tickets.listForUser(userId, page);
    return { ...tickets, items: await this.withSignedCodes(tickets.items) };
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

  async buyTicket(userId: string, body: TicketPurchaseBody, now = new Date()) {
    if (body.station_id === body.destination_id) throw badRequest("Station and destination must differ");
    const trainNumber = trainNumberFor(body.station_id, body.date);
    if (trainNumber === null) throw badRequest("Invalid time");
    if (body.date.getTime() <= now.getTime()) throw badRequest("Ticket date is in the past");
    return this.deps.tickets.buy(userId, {
      train_number: trainNumber,
      wagon_number: body.wagon_number,
      place_number: body.place_number,
      station_id: body.station_id,
      destination: body.destination_id,
      date: body.date,
    });
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
