import { generateKeyPairSync, createPrivateKey, randomBytes, type KeyObject } from "node:crypto";
import {
  HttpError,
  conflict,
  notFound,
  paginate,
  serviceUnavailable,
  unauthorized,
  type Page,
  type PageQuery,
} from "@rail/common";
import {
  initialsOf,
  keyRingFromJwks,
  signTicketCode,
  ticketKeyJwk,
  verifyTicketCode,
  type KeyRing,
  type TicketClaims,
  type TicketKeyJwk,
  type TicketKeySet,
} from "@rail/robot-sdk/ticket-code";
import type { KeyVault } from "./key-vault.js";
import type { TicketSigningMetrics } from "./ticket-signing.metrics.js";
import type {
  SignableTicketRow,
  SigningKeyRow,
  TicketSigningRepository,
  TicketUseRow,
} from "./ticket-signing.repository.js";
import type {
  OfflinePackDto,
  SignedCodeDto,
  TicketUseConflictDto,
  TicketUseResultDto,
  TicketUseUpload,
} from "./ticket-signing.schemas.js";

/** Codes are valid from this long before the departure at the passenger's station… */
export const VALID_BEFORE_DEPARTURE_MS = 6 * 3600_000;
/** …until this long after it (as the robots' "current trip" grace). */
export const VALID_AFTER_DEPARTURE_MS = 12 * 3600_000;
/** Keys and the current signer are re-read this often, so a rotation on another replica takes effect. */
const KEY_CACHE_MS = 10_000;

/** What a code is signed from (a ticket row with its passenger's name). */
export type SignableTicket = SignableTicketRow;

interface Signer {
  kid: string;
  privateKey: KeyObject;
  createdAt: Date;
}

const toJwk = (k: SigningKeyRow): TicketKeyJwk =>
  ticketKeyJwk({
    kid: k.kid,
    publicKey: k.publicKey,
    validFrom: k.createdAt,
    retiredAt: k.retiredAt,
    codesValidUntil: k.codesValidUntil,
    current: k.current === true,
  });

const toUseDto = (u: TicketUseRow): TicketUseConflictDto => ({
  use_id: u.useId,
  ticket_id: u.ticketId,
  robot_id: u.robotId,
  train_number: u.trainNumber,
  run_start: u.runStart.toISOString(),
  station_id: u.stationId,
  wagon_number: u.wagonNumber,
  used_at: u.usedAt.toISOString(),
  first_used_at: u.firstUsedAt?.toISOString() ?? null,
  received_at: u.receivedAt.toISOString(),
});

/**
 * Signed ticket codes (Ed25519, format in @rail/robot-sdk/ticket-code), their keys, and the offline side of ticket
 * checks: per-run packs for robots and the upload of uses made without a network.
 */
export class TicketSigningService {
  private signer: { value: Signer; loadedAt: number } | null = null;
  private ring: { value: KeyRing; loadedAt: number } | null = null;
  /** Latest expiry already written per key, so signing a page of tickets rarely writes. */
  private readonly recordedExpiry = new Map<string, number>();

  constructor(
    private readonly repo: TicketSigningRepository,
    private readonly vault: KeyVault,
    private readonly metrics: TicketSigningMetrics,
    private readonly logger?: { error(obj: object, msg: string): void },
  ) {}

  private newKey() {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    // 9 random bytes → 12 base64url characters: unguessable and short (it travels in every code).
    const kid = randomBytes(9).toString("base64url");
    const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
    const der = privateKey.export({ format: "der", type: "pkcs8" });
    return {
      kid,
      publicKey: Uint8Array.from(raw),
      privateKeyEnc: Uint8Array.from(this.vault.seal(der, kid)),
    };
  }

  private toSigner(row: SigningKeyRow): Signer {
    let der: Buffer;
    try {
      der = this.vault.open(row.privateKeyEnc, row.kid);
    } catch {
      // The stored key was sealed with another TICKET_SIGNING_SECRET: an operator's error, not the caller's.
      this.logger?.error(
        { kid: row.kid },
        "ticket signing key cannot be decrypted with TICKET_SIGNING_SECRET",
      );
      throw serviceUnavailable("Ticket signing unavailable");
    }
    return {
      kid: row.kid,
      privateKey: createPrivateKey({ key: der, format: "der", type: "pkcs8" }),
      createdAt: row.createdAt,
    };
  }

  /** The current signing key; the first call on an empty database creates it (once, across replicas). */
  private async currentSigner(): Promise<Signer> {
    if (this.signer && Date.now() - this.signer.loadedAt < KEY_CACHE_MS) return this.signer.value;
    let row = await this.repo.findCurrentKey();
    if (!row) {
      const inserted = await this.repo.insertCurrentKey(this.newKey());
      row = inserted === "exists" ? await this.repo.findCurrentKey() : inserted;
      if (!row) throw serviceUnavailable("Ticket signing unavailable");
    }
    const value = this.toSigner(row);
    this.signer = { value, loadedAt: Date.now() };
    return value;
  }

  /**
   * Every key ever created (uploads may carry codes of long-retired keys); reloaded on an unknown kid, at most once
   * a second (codes with made-up key ids must not turn into a database query each).
   */
  private async keyRing(force = false): Promise<KeyRing> {
    const age = this.ring ? Date.now() - this.ring.loadedAt : Infinity;
    if (this.ring && (force ? age < 1000 : age < KEY_CACHE_MS)) return this.ring.value;
    const rows = await this.repo.listAllKeys();
    const value = keyRingFromJwks({ keys: rows.map(toJwk) });
    this.ring = { value, loadedAt: Date.now() };
    return value;
  }

  /**
   * A ticket's signed code. "Issued at" is the later of the ticket's and the key's creation, so (Ed25519 being
   * deterministic) a ticket shows the same code until the key rotates, and it always falls within the key's life.
   */
  async sign(ticket: SignableTicket): Promise<SignedCodeDto> {
    const signer = await this.currentSigner();
    const claims: TicketClaims = {
      ticketId: ticket.id,
      trainNumber: ticket.trainNumber,
      runStart: ticket.startDate,
      departure: ticket.date,
      origin: ticket.stationId,
      wagon: ticket.wagonNumber,
      seat: ticket.placeNumber,
      initials: initialsOf(ticket.passengerName),
      issuedAt: new Date(Math.max(ticket.createdAt.getTime(), signer.createdAt.getTime())),
      validFrom: new Date(ticket.date.getTime() - VALID_BEFORE_DEPARTURE_MS),
      validUntil: new Date(ticket.date.getTime() + VALID_AFTER_DEPARTURE_MS),
      kid: signer.kid,
    };
    const until = claims.validUntil.getTime();
    if ((this.recordedExpiry.get(signer.kid) ?? 0) < until) {
      // Before the code leaves: a retired key stays published as long as any code it signed is valid.
      await this.repo.extendCodesValidUntil(signer.kid, claims.validUntil);
      this.recordedExpiry.set(signer.kid, until);
    }
    return {
      ticket_id: ticket.id,
      signed_code: signTicketCode(claims, signer.privateKey),
      kid: signer.kid,
      valid_from: claims.validFrom.toISOString(),
      valid_until: claims.validUntil.toISOString(),
    };
  }

  /** JWKS-style key set for robots: the current key and retired keys whose codes may still be valid. */
  async keySet(now = new Date()): Promise<TicketKeySet> {
    await this.currentSigner(); // a fresh database publishes its first key right away
    return { keys: (await this.repo.listPublishedKeys(now)).map(toJwk) };
  }

  /** Engineer's rotation: a new current key; codes of the old one stay valid until their own expiry. */
  async rotate(): Promise<{ kid: string; retired_kid: string | null }> {
    const rotated = await this.repo.rotate(this.newKey());
    if (rotated === "conflict") throw conflict("Another key rotation is in progress, try again");
    this.signer = null;
    this.ring = null;
    return { kid: rotated.created.kid, retired_kid: rotated.retired };
  }

  /**
   * Authenticates a signed code for an online check or an upload: format, key, signature, key valid when the code
   * was issued. The validity window is not applied here (online, the server's ticket row is the authority).
   */
  async authenticate(code: string): Promise<TicketClaims | null> {
    let ring = await this.keyRing();
    let result = verifyTicketCode(code, ring, { checkWindow: false });
    if (!result.ok && result.reason === "unknown_key") {
      ring = await this.keyRing(true);
      result = verifyTicketCode(code, ring, { checkWindow: false });
    }
    return result.ok ? result.claims : null;
  }

  /** For online validation: the claims of an authentic code, else 401 `Invalid ticket code` (as unknown codes). */
  async claimsOrUnauthorized(code: string): Promise<TicketClaims> {
    const claims = await this.authenticate(code);
    if (!claims) throw unauthorized("Invalid ticket code");
    return claims;
  }

  /** Call before deleting (refunding, cancelling) a ticket: its codes go on its run's deny list. */
  revokeTicket(ticketId: string): Promise<void> {
    return this.repo.revokeTicket(ticketId);
  }

  async offlinePack(
    ref: { runId: string } | { trainNumber: number; runStart: Date },
    now = new Date(),
  ): Promise<OfflinePackDto> {
    const run = await this.repo.findRun(ref);
    if (!run) throw notFound("Run not found");
    const { trainNumber, departure: runStart } = run;
    const [keys, denied, used] = await Promise.all([
      this.keySet(now),
      this.repo.deniedTicketIds(trainNumber, runStart),
      this.repo.usedTicketIds(trainNumber, runStart),
    ]);
    return {
      run_id: run.id,
      train_number: trainNumber,
      start_date: runStart.toISOString(),
      generated_at: now.toISOString(),
      keys: keys.keys,
      denied_ticket_ids: denied,
      used_ticket_ids: used,
    };
  }

  /**
   * Uses a robot made offline. Each is authenticated (a code no key signed is `invalid_code` and not stored), then
   * recorded once per use id; a second use of a ticket is a `conflict`, stored and counted for engineers.
   */
  async uploadUses(
    robotId: string,
    uses: TicketUseUpload[],
    now = new Date(),
  ): Promise<TicketUseResultDto[]> {
    const results: TicketUseResultDto[] = [];
    // One by one, in the robot's order: the first use of a ticket in a batch is the one that boards.
    for (const use of uses) {
      const claims = await this.authenticate(use.code);
      if (!claims) {
        results.push({ use_id: use.use_id, ticket_id: null, status: "invalid_code", duplicate: false });
        continue;
      }
      const { row, duplicate } = await this.repo.recordUse({
        useId: use.use_id,
        ticketId: claims.ticketId,
        robotId,
        trainNumber: claims.trainNumber,
        runStart: claims.runStart,
        stationId: use.station_id,
        wagonNumber: use.wagon_number,
        // A robot clock ahead of ours must not put uses in the future.
        usedAt: use.used_at.getTime() > now.getTime() ? now : use.used_at,
      });
      if (!duplicate && row.outcome === "conflict") this.metrics.useConflicts.inc();
      results.push({
        use_id: use.use_id,
        ticket_id: row.ticketId,
        status: row.outcome as TicketUseResultDto["status"],
        duplicate,
      });
    }
    return results;
  }

  listConflicts(page: PageQuery): Promise<Page<TicketUseConflictDto>> {
    const where = { outcome: "conflict" as const };
    return paginate(
      page,
      () => this.repo.countUses(where),
      (w) => this.repo.listUses(where, w),
      toUseDto,
    );
  }

  /** A ticket's signed code (admin console, CLI). */
  async signedCodeFor(ticketId: string): Promise<SignedCodeDto> {
    const [ticket] = await this.repo.findSignableTickets([ticketId]);
    if (!ticket) throw notFound("Ticket not found");
    return this.sign(ticket);
  }

  /**
   * Signed codes of several tickets by id (e.g. a page of a passenger's tickets); unknown ids are left out, and
   * none at all while signing is unavailable (the tickets themselves are still shown, with their secret codes).
   */
  async signedCodes(ticketIds: string[]): Promise<Map<string, string>> {
    const tickets = await this.repo.findSignableTickets(ticketIds);
    const codes = new Map<string, string>();
    try {
      for (const t of tickets) codes.set(t.id, (await this.sign(t)).signed_code);
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 503)) throw err;
      codes.clear();
    }
    return codes;
  }
}
