import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import * as base45 from "base45";
import { decode as cborDecode, encode as cborEncode } from "cborg";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import {
  TICKET_CODE_PREFIX,
  decodeTicketCode,
  encodeClaims,
  initialsOf,
  keyRingFromJwks,
  signTicketCode,
  ticketKeyJwk,
  verifyTicketCode,
  type TicketClaims,
} from "./ticket-code.js";

const HOUR = 3600_000;
const departure = new Date("2026-12-01T10:00:00Z");

function newKey(kid: string, validFrom = new Date("2026-01-01T00:00:00Z"), retiredAt: Date | null = null) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = ticketKeyJwk({ kid, publicKey, validFrom, retiredAt });
  return { privateKey, jwk };
}

const claims = (over: Partial<TicketClaims> = {}): TicketClaims => ({
  ticketId: randomUUID(),
  trainNumber: 7012,
  runStart: new Date(departure.getTime() - 2 * HOUR),
  departure,
  origin: "SPB",
  wagon: 4,
  seat: 37,
  initials: "I.P.",
  issuedAt: new Date("2026-11-30T12:00:00Z"),
  validFrom: new Date(departure.getTime() - 6 * HOUR),
  validUntil: new Date(departure.getTime() + 12 * HOUR),
  kid: "key-a",
  ...over,
});

const at = { stationId: "SPB", trainNumber: 7012, date: departure, wagon: 4 };
const boarding = new Date(departure.getTime() - 10 * 60_000);

function setup() {
  const a = newKey("key-a");
  const ring = keyRingFromJwks({ keys: [a.jwk] });
  const sign = (c: TicketClaims, key: KeyObject = a.privateKey) => signTicketCode(c, key);
  return { a, ring, sign };
}

describe("ticket code encoding", () => {
  it("round-trips every claim (instants to the second) and starts with the RT1: prefix", () => {
    const { sign } = setup();
    const c = claims();
    const code = sign(c);
    expect(code.startsWith(TICKET_CODE_PREFIX)).toBe(true);
    expect(decodeTicketCode(code).claims).toEqual(c);
  });

  it("is canonical: the same claims encode to the same bytes", () => {
    const c = claims();
    expect(Buffer.from(encodeClaims(c)).equals(Buffer.from(encodeClaims({ ...c })))).toBe(true);
  });

  it("uses only QR alphanumeric characters: QR version 8 at error correction M, 9 with long fields", () => {
    const { sign } = setup();
    // A real key id has 12 characters (service's newKey).
    const typical = sign(claims({ kid: "AbCdEfGhIjKl", origin: "MOSCOW" }));
    expect(typical).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    expect(QRCode.create(typical, { errorCorrectionLevel: "M" }).version).toBeLessThanOrEqual(8);
    const long = sign(
      claims({
        kid: "AbCdEfGhIjKl",
        origin: "NIZHNY-NOVGOROD",
        trainNumber: 2_000_000_000,
        seat: 120,
        wagon: 30,
      }),
    );
    expect(QRCode.create(long, { errorCorrectionLevel: "M" }).version).toBeLessThanOrEqual(9);
  });

  it("refuses malformed texts: foreign QR text, bad base45, wrong structure, overlong", () => {
    const { sign, ring } = setup();
    const good = sign(claims());
    for (const text of [
      "",
      "hello",
      "RT1:",
      "RT1:abc", // lower case is not base45
      `${good}0`, // a dangling character
      `RT1:${base45.encode(cborEncode([1, 2, 3]))}`,
      `RT1:${base45.encode(cborEncode(["x", new Uint8Array(64)]))}`,
      `RT1:${"A".repeat(2000)}`,
    ]) {
      expect(verifyTicketCode(text, ring, { now: boarding }).ok, text).toBe(false);
      expect(verifyTicketCode(text, ring, { now: boarding })).toMatchObject({ reason: "malformed" });
    }
  });
});

describe("ticket code signature and validity", () => {
  it("accepts a genuine code at its boarding point within its window", () => {
    const { sign, ring } = setup();
    const c = claims();
    expect(verifyTicketCode(sign(c), ring, { now: boarding, at })).toEqual({ ok: true, claims: c });
  });

  it("refuses a tampered payload (seat changed after signing)", () => {
    const { sign, ring } = setup();
    const code = sign(claims());
    const [body, signature] = cborDecode(base45.decode(code.slice(4)), { useMaps: false }) as [
      Uint8Array,
      Uint8Array,
    ];
    const fields = cborDecode(body, { useMaps: false }) as unknown[];
    fields[7] = 1; // seat
    const forged = TICKET_CODE_PREFIX + base45.encode(cborEncode([cborEncode(fields), signature]));
    expect(decodeTicketCode(forged).claims.seat).toBe(1);
    expect(verifyTicketCode(forged, ring, { now: boarding, at })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses a code signed by another key under a known key id", () => {
    const { ring } = setup();
    const intruder = newKey("key-a");
    const code = signTicketCode(claims(), intruder.privateKey);
    expect(verifyTicketCode(code, ring, { now: boarding, at })).toMatchObject({ reason: "bad_signature" });
  });

  it("refuses an unknown key id", () => {
    const { sign, ring } = setup();
    expect(verifyTicketCode(sign(claims({ kid: "key-z" })), ring, { now: boarding })).toMatchObject({
      ok: false,
      reason: "unknown_key",
    });
  });

  it("refuses expired and not yet valid codes (beyond the clock skew)", () => {
    const { sign, ring } = setup();
    const code = sign(claims());
    const after = new Date(departure.getTime() + 12 * HOUR + 6 * 60_000);
    const before = new Date(departure.getTime() - 6 * HOUR - 6 * 60_000);
    expect(verifyTicketCode(code, ring, { now: after })).toMatchObject({ reason: "expired" });
    expect(verifyTicketCode(code, ring, { now: before })).toMatchObject({ reason: "not_yet_valid" });
    // Within the 5-minute skew both ends still pass.
    expect(verifyTicketCode(code, ring, { now: new Date(departure.getTime() + 12 * HOUR + 60_000) }).ok).toBe(
      true,
    );
    expect(verifyTicketCode(code, ring, { now: after, checkWindow: false }).ok).toBe(true);
  });

  it("refuses a code for another train, station, departure or wagon, as the online check words it", () => {
    const { sign, ring } = setup();
    const code = sign(claims());
    const check = (over: Partial<typeof at>) =>
      verifyTicketCode(code, ring, { now: boarding, at: { ...at, ...over } });
    expect(check({ trainNumber: 7013 })).toMatchObject({ reason: "wrong_train" });
    expect(check({ stationId: "MOSCOW" })).toMatchObject({ reason: "wrong_train" });
    expect(check({ date: new Date(departure.getTime() + HOUR) })).toMatchObject({ reason: "wrong_date" });
    expect(check({ wagon: 5 })).toMatchObject({ reason: "wrong_wagon" });
  });

  it("keeps codes of a retired key valid, but refuses codes issued after its retirement", () => {
    const retiredAt = new Date("2026-11-30T18:00:00Z");
    const old = newKey("key-old", new Date("2026-01-01T00:00:00Z"), retiredAt);
    const ring = keyRingFromJwks({ keys: [old.jwk] });
    const before = signTicketCode(claims({ kid: "key-old" }), old.privateKey);
    expect(verifyTicketCode(before, ring, { now: boarding, at }).ok).toBe(true);
    const after = signTicketCode(
      claims({ kid: "key-old", issuedAt: new Date(retiredAt.getTime() + HOUR) }),
      old.privateKey,
    );
    expect(verifyTicketCode(after, ring, { now: boarding, at })).toMatchObject({ reason: "key_not_valid" });
  });

  it("refuses a code claiming to be issued before its key existed", () => {
    const late = newKey("key-late", new Date("2026-11-30T00:00:00Z"));
    const ring = keyRingFromJwks({ keys: [late.jwk] });
    const code = signTicketCode(
      claims({ kid: "key-late", issuedAt: new Date("2026-11-01T00:00:00Z") }),
      late.privateKey,
    );
    expect(verifyTicketCode(code, ring, { now: boarding })).toMatchObject({ reason: "key_not_valid" });
  });
});

describe("initialsOf", () => {
  it("takes up to three initials, Cyrillic included", () => {
    expect(initialsOf("Ivan Petrov")).toBe("I.P.");
    expect(initialsOf("  анна  мария  иванова  смирнова ")).toBe("А.М.И.");
    expect(initialsOf("")).toBe("");
  });
});
