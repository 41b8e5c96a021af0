import { constants, generateKeyPairSync, privateDecrypt } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { type Api, OpsError } from "./api.js";

export type KeyKind = "robot" | "store";

/** A fresh RSA-2048 key pair in the PEM forms base expects (SPKI public key, PKCS#8 private key). */
export function newKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** Writes a private key readable by its owner only (0600); refuses to replace a file unless `force`. */
export function writePrivateKey(file: string, pem: string, force = false): void {
  try {
    writeFileSync(file, pem, { mode: 0o600, flag: force ? "w" : "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST")
      throw new OpsError(`${file} exists; choose another --key-out or add --force`);
    throw new OpsError(`cannot write ${file}: ${(err as Error).message}`);
  }
  chmodSync(file, 0o600); // an existing file replaced with --force keeps its old mode otherwise
}

export function readPrivateKey(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new OpsError(`cannot read the private key ${file}: ${(err as Error).message}`);
  }
}

/** Decrypts a login challenge (RSA-OAEP with SHA-256, as base encrypts it). */
export function answerChallenge(privateKeyPem: string, dataBase64: string): string {
  try {
    return privateDecrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      Buffer.from(dataBase64, "base64"),
    ).toString("utf8");
  } catch {
    throw new OpsError("the challenge cannot be decrypted with this key: wrong key file for this id?");
  }
}

/** The robot's or terminal's challenge/response login: a session token for `id`. */
export async function keyLogin(api: Api, kind: KeyKind, id: string, privateKeyPem: string): Promise<string> {
  const challenge = await api.request<{ data: string; request_id: string }>(
    "POST",
    api.base(`/auth/${kind}/login`),
    `${kind} login challenge`,
    { auth: false, body: { id } },
  );
  const answer = answerChallenge(privateKeyPem, challenge.data);
  const session = await api.request<{ token: string }>(
    "POST",
    api.base(`/auth/${kind}/login_code`),
    `${kind} login`,
    { auth: false, body: { request_id: challenge.request_id, data: answer } },
  );
  return session.token;
}
