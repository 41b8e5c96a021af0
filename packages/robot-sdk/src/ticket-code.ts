/**
 * Signed ticket codes: the format shared by the base service (which signs) and robots (which verify offline).
 *
 * Text in the QR code: `RT1:` + base45( CBOR [ body: bytes, signature: bytes ] ), where `body` is the CBOR array
 * [1, ticket id (16 bytes), train number, run start, departure, origin station, wagon, seat, initials, issued at,
 * valid from, valid until, key id] (instants in whole Unix seconds) and `signature` is Ed25519 over exactly the
 * `body` bytes (so verification never depends on re-encoding). base45 (RFC 9285) keeps the text in the QR
 * alphanumeric set, which packs 5.5 bits a character instead of 8: a smaller QR version than base64.
 */
// Types of the untyped `base45` package; referenced so packages importing this file see them too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./base45.d.ts" />
import { createPublicKey, sign as edSign, verify as edVerify, type KeyObject } from "node:crypto";
import { decode as cborDecode, encode as cborEncode } from "cborg";
import * as base45 from "base45";
import type { BaseOk } from "./api/index.js";

export const TICKET_CODE_PREFIX = "RT1:";
const FORMAT_VERSION = 1;
/** Longer QR texts are not ours (and never decoded). */
const MAX_CODE_LENGTH = 1024;

export interface TicketClaims {
  ticketId: string;
  trainNumber: number;
  /** Start of the train run (the ticket's `start_date`). */
  runStart: Date;
  /** Departure from `origin` (the ticket's `date`; what robots send as `date`). */
  departure: Date;
  /** Station id the passenger boards at. */
  origin: string;
  wagon: number;
  seat: number;
  /** Initials of the passenger's name, e.g. "I.P.", for a glance at the code's owner. */
  initials: string;
  /** When the code was signed: must fall within the signing key's validity. */
  issuedAt: Date;
  validFrom: Date;
  validUntil: Date;
  /** Key id of the signing key. */
  kid: string;
}

export type TicketCodeRejection =
  | "malformed"
  | "unknown_key"
  | "bad_signature"
  | "key_not_valid"
  | "not_yet_valid"
  | "expired"
  | "wrong_train"
  | "wrong_date"
  | "wrong_wagon";

export class TicketCodeError extends Error {
  constructor(readonly reason: TicketCodeRejection) {
    super(`ticket code rejected: ${reason}`);
  }
}

export const isSignedTicketCode = (text: string): boolean => text.startsWith(TICKET_CODE_PREFIX);

const toSeconds = (d: Date) => Math.floor(d.getTime() / 1000);
const fromSeconds = (s: number) => new Date(s * 1000);

function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function bytesToUuid(bytes: Uint8Array): string {
  const h = Buffer.from(bytes).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Canonical body bytes of the claims (what gets signed). */
export function encodeClaims(c: TicketClaims): Uint8Array {
  return cborEncode([
    FORMAT_VERSION,
    uuidToBytes(c.ticketId),
    c.trainNumber,
    toSeconds(c.runStart),
    toSeconds(c.departure),
    c.origin,
    c.wagon,
    c.seat,
    c.initials,
    toSeconds(c.issuedAt),
    toSeconds(c.validFrom),
    toSeconds(c.validUntil),
    c.kid,
  ]);
}

const isUint = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

function decodeClaims(body: Uint8Array): TicketClaims {
  const fields: unknown = cborDecode(body, { strict: true, useMaps: false });
  if (!Array.isArray(fields) || fields.length !== 13 || fields[0] !== FORMAT_VERSION) {
    throw new TicketCodeError("malformed");
  }
  const [, id, train, runStart, departure, origin, wagon, seat, initials, iat, nbf, exp, kid] = fields;
  if (
    !(id instanceof Uint8Array && id.length === 16) ||
    ![train, runStart, departure, wagon, seat, iat, nbf, exp].every(isUint) ||
    !isText(origin, 60) ||
    !isText(initials, 16) ||
    !isText(kid, 32)
  ) {
    throw new TicketCodeError("malformed");
  }
  return {
    ticketId: bytesToUuid(id),
    trainNumber: train as number,
    runStart: fromSeconds(runStart as number),
    departure: fromSeconds(departure as number),
    origin,
    wagon: wagon as number,
    seat: seat as number,
    initials,
    issuedAt: fromSeconds(iat as number),
    validFrom: fromSeconds(nbf as number),
    validUntil: fromSeconds(exp as number),
    kid,
  };
}

/** Signs the claims with an Ed25519 private key and returns the QR text. */
export function signTicketCode(claims: TicketClaims, privateKey: KeyObject): string {
  const body = encodeClaims(claims);
  const signature = edSign(null, body, privateKey);
  return TICKET_CODE_PREFIX + base45.encode(cborEncode([body, Uint8Array.from(signature)]));
}

export interface DecodedTicketCode {
  claims: TicketClaims;
  body: Uint8Array;
  signature: Uint8Array;
}

/** Parses a code without checking its signature. Throws TicketCodeError("malformed") for anything else. */
export function decodeTicketCode(text: string): DecodedTicketCode {
  if (!isSignedTicketCode(text) || text.length > MAX_CODE_LENGTH) throw new TicketCodeError("malformed");
  const b45 = text.slice(TICKET_CODE_PREFIX.length);
  let outer: unknown;
  try {
    const bytes = base45.decode(b45);
    // The codec is lenient (stray characters, overflowing triples): accept only the canonical text.
    if (base45.encode(bytes) !== b45) throw new TicketCodeError("malformed");
    outer = cborDecode(bytes, { strict: true, useMaps: false });
  } catch {
    throw new TicketCodeError("malformed");
  }
  if (!Array.isArray(outer) || outer.length !== 2) throw new TicketCodeError("malformed");
  const [body, signature] = outer as unknown[];
  if (!(body instanceof Uint8Array) || !(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new TicketCodeError("malformed");
  }
  let claims: TicketClaims;
  try {
    claims = decodeClaims(body);
  } catch {
    throw new TicketCodeError("malformed");
  }
  return { claims, body, signature };
}

/** A verification key as robots keep it. */
export interface TicketVerificationKey {
  kid: string;
  publicKey: KeyObject;
  validFrom: Date;
  /** Codes issued after this instant are refused; codes issued before stay valid until their own expiry. */
  retiredAt: Date | null;
}

export type KeyRing = ReadonlyMap<string, TicketVerificationKey>;

/** The answer of `GET /base_api/v1/robot/ticket_keys`: JWKs with validity (generated from the base API). */
export type TicketKeySet = BaseOk<"/robot/ticket_keys", "get">;

/**
 * One key of the set: a raw 32-byte Ed25519 public key `x` (base64url), its validity, and `codes_valid_until`, the
 * latest expiry of any code it signed (retired keys are listed until then).
 */
export type TicketKeyJwk = TicketKeySet["keys"][number];

/**
 * A verification key as robots get it (an entry of `GET /robot/ticket_keys` and of offline packs): the base
 * service publishes its keys with this, tests and the bench make theirs with it.
 */
export function ticketKeyJwk(key: {
  kid: string;
  /** The Ed25519 public key, or its raw 32 bytes. */
  publicKey: KeyObject | Uint8Array;
  validFrom: Date;
  retiredAt?: Date | null;
  /** Latest expiry of any code the key signed. */
  codesValidUntil?: Date | null;
  /** Default: not retired. */
  current?: boolean;
}): TicketKeyJwk {
  return {
    kid: key.kid,
    kty: "OKP",
    crv: "Ed25519",
    alg: "EdDSA",
    use: "sig",
    x:
      key.publicKey instanceof Uint8Array
        ? Buffer.from(key.publicKey).toString("base64url")
        : key.publicKey.export({ format: "jwk" }).x!,
    status: (key.current ?? !key.retiredAt) ? "current" : "retired",
    valid_from: key.validFrom.toISOString(),
    retired_at: key.retiredAt?.toISOString() ?? null,
    codes_valid_until: key.codesValidUntil?.toISOString() ?? null,
  };
}

export function keyRingFromJwks(set: TicketKeySet): Map<string, TicketVerificationKey> {
  const ring = new Map<string, TicketVerificationKey>();
  for (const k of set.keys) {
    ring.set(k.kid, {
      kid: k.kid,
      publicKey: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: k.x }, format: "jwk" }),
      validFrom: new Date(k.valid_from),
      retiredAt: k.retired_at === null ? null : new Date(k.retired_at),
    });
  }
  return ring;
}

/** Where the robot stands: the run and wagon it boards (the same fields as an online ticket validation). */
export interface BoardingPoint {
  stationId: string;
  trainNumber: number;
  /** Departure from `stationId`. */
  date: Date;
  wagon: number;
}

export interface VerifyOptions {
  now?: Date;
  /** Tolerated clock difference between the signer and the robot. */
  skewSeconds?: number;
  /** When given, the code must be for this boarding point. */
  at?: BoardingPoint;
  /** false: skip the validity window (a server holding the ticket row decides by the row). Default true. */
  checkWindow?: boolean;
}

export type VerifyResult =
  { ok: true; claims: TicketClaims } | { ok: false; reason: TicketCodeRejection; claims?: TicketClaims };

/**
 * Everything a robot can check without a network: format, key, signature, that the key was valid when the code
 * was issued, the validity window, and (with `at`) train/station, departure and wagon, in the order the online
 * check reports them. Deny lists and uses are the caller's (see OfflineTicketChecker).
 */
export function verifyTicketCode(text: string, keys: KeyRing, opts: VerifyOptions = {}): VerifyResult {
  let decoded: DecodedTicketCode;
  try {
    decoded = decodeTicketCode(text);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const { claims, body, signature } = decoded;
  const key = keys.get(claims.kid);
  if (!key) return { ok: false, reason: "unknown_key" };
  if (!edVerify(null, body, key.publicKey, signature)) return { ok: false, reason: "bad_signature" };
  // From here on the claims are authentic.
  const skewMs = (opts.skewSeconds ?? 300) * 1000;
  const iat = claims.issuedAt.getTime();
  if (iat < key.validFrom.getTime() - skewMs || (key.retiredAt && iat > key.retiredAt.getTime() + skewMs)) {
    return { ok: false, reason: "key_not_valid", claims };
  }
  if (opts.checkWindow !== false) {
    const now = (opts.now ?? new Date()).getTime();
    if (now < claims.validFrom.getTime() - skewMs) return { ok: false, reason: "not_yet_valid", claims };
    if (now > claims.validUntil.getTime() + skewMs) return { ok: false, reason: "expired", claims };
  }
  const at = opts.at;
  if (at) {
    if (claims.trainNumber !== at.trainNumber || claims.origin !== at.stationId) {
      return { ok: false, reason: "wrong_train", claims };
    }
    if (toSeconds(claims.departure) !== toSeconds(at.date))
      return { ok: false, reason: "wrong_date", claims };
    if (claims.wagon !== at.wagon) return { ok: false, reason: "wrong_wagon", claims };
  }
  return { ok: true, claims };
}

/** Initials of a full name as printed on the code: "Ivan Petrov" → "I.P." (at most three). */
export function initialsOf(name: string): string {
  const letters = name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 3)
    .map((part) => `${Array.from(part)[0]!.toLocaleUpperCase()}.`);
  return letters.join("").slice(0, 16);
}
