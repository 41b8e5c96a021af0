/**
 * Offline verification cost of one signed ticket code, as a robot does it with no network: base45 + CBOR decode,
 * Ed25519 signature check, key validity, window and boarding point (verifyTicketCode). Also prints the QR size.
 *
 *   pnpm --filter @rail/robot-sdk bench            (or import measureOfflineVerification from the bench command)
 *
 * The online check it is compared with is `POST /robot/ticket_validation` in packages/bench (scenario "tickets").
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import QRCode from "qrcode";
import * as base45 from "base45";
import {
  TICKET_CODE_PREFIX,
  keyRingFromJwks,
  signTicketCode,
  ticketKeyJwk,
  verifyTicketCode,
  type TicketClaims,
} from "../src/ticket-code.js";

export interface OfflineVerificationResult {
  codes: number;
  perCodeMicros: number;
  codesPerSecond: number;
  codeLength: number;
  qrVersionM: number;
  /** The same CBOR bytes as base64url text (QR byte mode), for comparison. */
  base64QrVersionM: number;
}

export function measureOfflineVerification(
  opts: { codes?: number; rounds?: number } = {},
): OfflineVerificationResult {
  const n = opts.codes ?? 2_000;
  const rounds = opts.rounds ?? 5;
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const kid = "AbCdEfGhIjKl"; // the service's key ids have 12 characters
  const ring = keyRingFromJwks({
    keys: [ticketKeyJwk({ kid, publicKey, validFrom: new Date("2026-01-01T00:00:00.000Z") })],
  });
  const departure = new Date(Math.floor(Date.now() / 1000) * 1000 + 3600_000);
  const claims = (): TicketClaims => ({
    ticketId: randomUUID(),
    trainNumber: 7012,
    runStart: departure,
    departure,
    origin: "MOSCOW",
    wagon: 12,
    seat: 54,
    initials: "I.P.",
    issuedAt: new Date(),
    validFrom: new Date(departure.getTime() - 6 * 3600_000),
    validUntil: new Date(departure.getTime() + 12 * 3600_000),
    kid,
  });
  const codes = Array.from({ length: n }, () => signTicketCode(claims(), privateKey));
  const at = { stationId: "MOSCOW", trainNumber: 7012, date: departure, wagon: 12 };
  const now = new Date();
  // Warm-up, then the best of several rounds (the machine is shared; the best round is the least disturbed).
  for (const c of codes.slice(0, 200)) verifyTicketCode(c, ring, { now, at });
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (const c of codes) {
      if (!verifyTicketCode(c, ring, { now, at }).ok) throw new Error("a genuine code was refused");
    }
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e3 / n);
  }
  return {
    codes: n,
    perCodeMicros: best,
    codesPerSecond: 1e6 / best,
    codeLength: codes[0]!.length,
    qrVersionM: QRCode.create(codes[0]!, { errorCorrectionLevel: "M" }).version,
    base64QrVersionM: QRCode.create(
      Buffer.from(base45.decode(codes[0]!.slice(TICKET_CODE_PREFIX.length))).toString("base64url"),
      { errorCorrectionLevel: "M" },
    ).version,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = measureOfflineVerification();
  console.log(
    `offline verification (one core): ${r.perCodeMicros.toFixed(1)} µs/code, ${r.codesPerSecond.toFixed(0)} codes/s ` +
      `(best of 5 rounds × ${r.codes} codes); code ${r.codeLength} characters, QR version ${r.qrVersionM} at level M ` +
      `(as base64url: version ${r.base64QrVersionM})`,
  );
}
