import {
  constants,
  createHash,
  createPublicKey,
  publicEncrypt,
  randomUUID,
  type KeyObject,
} from "node:crypto";
import { Privilege, ValidationError, notFound, paginate, unauthorized } from "@rail/common";
import type { Page, PageQuery, SessionStore, StoreDto } from "@rail/common";
import type { EngineerCredentialCheck } from "../engineers/engineers.service.js";
import type { StoreGateway } from "../store/store.gateway.js";
import type { AuthRepository, RobotRow, TerminalRow } from "./auth.repository.js";
import type { RobotAdminDto, RobotDto, StoreTerminalDto } from "./auth.schemas.js";
import { decoyCiphertext, newChallenge, type ChallengeStore, type ClientKind } from "./challenges.js";

const MIN_RSA_BITS = 2048;

const toRobotDto = (r: { id: string; robotModelId: string; robotModelName: string }): RobotDto => ({
  id: r.id,
  robot_model_id: r.robotModelId,
  robot_model_name: r.robotModelName,
});

/** SHA-256 of the key's DER SubjectPublicKeyInfo (hex): the same whatever the PEM's line breaks. */
export function keyFingerprint(pem: string): string {
  try {
    const der = createPublicKey(pem).export({ type: "spki", format: "der" });
    return createHash("sha256").update(der).digest("hex");
  } catch {
    return createHash("sha256").update(pem).digest("hex");
  }
}

const toRobotAdminDto = (r: RobotRow): RobotAdminDto => ({
  ...toRobotDto(r),
  key_fingerprint_sha256: keyFingerprint(r.publicKey),
  enrolled_at: r.createdAt.toISOString(),
  last_login_at: r.lastLoginAt?.toISOString() ?? null,
});

const toTerminalDto = (t: TerminalRow): StoreTerminalDto => ({
  store_id: t.id,
  key_fingerprint_sha256: keyFingerprint(t.publicKey),
  enrolled_at: t.createdAt.toISOString(),
  last_login_at: t.lastLoginAt?.toISOString() ?? null,
});

/** Parses a PEM public key; only RSA keys of at least 2048 bits can answer our challenges. */
function parseRsaPublicKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalidKey("public_key is not a PEM public key");
  }
  if (key.asymmetricKeyType !== "rsa" || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw invalidKey(`public_key must be an RSA key of at least ${MIN_RSA_BITS} bits`);
  }
  return key;
}

const invalidKey = (msg: string) =>
  new ValidationError([{ type: "value_error", loc: ["body", "public_key"], msg }]);

/** RSA-OAEP with SHA-256 and MGF1-SHA-256 (Node uses the OAEP hash for MGF1), base64 — the robots' protocol. */
const encryptChallenge = (pem: string, challenge: string) =>
  publicEncrypt(
    { key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(challenge, "utf8"),
  ).toString("base64");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Robot and store-terminal enrolment (engineer-assisted) and their challenge login (reference 3.1). */
export class AuthService {
  constructor(
    private readonly clients: AuthRepository,
    private readonly engineers: EngineerCredentialCheck,
    private readonly sessions: SessionStore,
    private readonly challenges: ChallengeStore,
    private readonly stores: StoreGateway,
  ) {}

  /** Engineer-assisted robot enrolment; replaces the robot of the same model id and ends its sessions. */
  async enrolRobot(input: {
    login: string;
    password: string;
    public_key: string;
    robot_model_id: string;
    robot_model_name: string;
    ip: string;
  }) {
    await this.engineers.requireEngineer(input, Privilege.ROBOT_LOGIN);
    parseRsaPublicKey(input.public_key);
    const result = await this.clients.replaceRobot({
      robotModelId: input.robot_model_id,
      robotModelName: input.robot_model_name,
      publicKey: input.public_key,
    });
    if (result.replacedId) await this.sessions.revokeSubject("robot", result.replacedId);
    return toRobotDto(result.robot);
  }

  /** Engineer-assisted store terminal enrolment: the store must exist in the store service. */
  async enrolStore(input: {
    login: string;
    password: string;
    public_key: string;
    store_id: string;
    ip: string;
  }): Promise<StoreDto> {
    await this.engineers.requireEngineer(input, Privilege.STORE_LOGIN);
    parseRsaPublicKey(input.public_key);
    const store = await this.stores.getStore(input.store_id);
    if (!store) throw notFound("Store not found");
    await this.clients.upsertActiveStore(input.store_id, input.public_key);
    await this.sessions.revokeSubject("store", input.store_id);
    return store;
  }

  /** A challenge encrypted with the client's key; unknown ids get a decoy of the same shape and length. */
  async issueChallenge(
    kind: ClientKind,
    id: string,
    ip: string,
  ): Promise<{ data: string; request_id: string }> {
    await this.challenges.admit(ip);
    const publicKey = UUID.test(id) ? await this.findPublicKey(kind, id.toLowerCase()) : null;
    if (!publicKey) return { data: decoyCiphertext(), request_id: randomUUID() };
    const answer = newChallenge();
    const requestId = await this.challenges.issue(kind, id.toLowerCase(), answer);
    return { data: encryptChallenge(publicKey, answer), request_id: requestId };
  }

  /** The decrypted challenge buys one session; the client must still be enrolled. */
  async answerChallenge(
    kind: ClientKind,
    requestId: string,
    answer: string,
    ip: string,
  ): Promise<{ token: string }> {
    await this.challenges.admit(ip);
    const subject = await this.challenges.consume(kind, requestId, answer);
    if (!subject || !(await this.findPublicKey(kind, subject))) throw unauthorized();
    const token = await this.sessions.create(kind, subject);
    await this.clients.touchLogin(kind, subject);
    return { token };
  }

  private async findPublicKey(kind: ClientKind, id: string): Promise<string | null> {
    const row = kind === "robot" ? await this.clients.findRobot(id) : await this.clients.findActiveStore(id);
    return row?.publicKey ?? null;
  }

  listRobots(page: PageQuery): Promise<Page<RobotAdminDto>> {
    return paginate(
      page,
      () => this.clients.countRobots(),
      (w) => this.clients.listRobots(w),
      toRobotAdminDto,
    );
  }

  listStoreTerminals(page: PageQuery): Promise<Page<StoreTerminalDto>> {
    return paginate(
      page,
      () => this.clients.countTerminals(),
      (w) => this.clients.listTerminals(w),
      toTerminalDto,
    );
  }

  /** Idempotent, as in the reference; the robot's sessions end immediately. */
  async deleteRobot(id: string): Promise<void> {
    await this.clients.deleteRobot(id);
    await this.sessions.revokeSubject("robot", id);
  }

  /** Forgets a store terminal's key and ends its sessions. */
  async deleteStoreTerminal(storeId: string): Promise<void> {
    await this.clients.deleteActiveStore(storeId);
    await this.sessions.revokeSubject("store", storeId);
  }
}
