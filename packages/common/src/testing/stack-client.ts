/**
 * HTTP plumbing for code that drives a running stack from outside (the e2e tests, the bench): one JSON call, and
 * the RSA enrolment and challenge login that robots and store terminals do. Kept here once instead of a copy per
 * package.
 */
import { constants, generateKeyPairSync, privateDecrypt } from "node:crypto";

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes, checked by callers
}

/** One JSON call; the body is the parsed JSON, or the text when it is not JSON (kept for error messages). */
export async function call(
  method: string,
  url: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Like `call`, but anything other than 2xx throws with the answer in the message. */
export async function callOk(method: string, url: string, token?: string, body?: unknown) {
  const res = await call(method, url, token, body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** A robot's or terminal's key pair as the clients make them: RSA-2048, PEM SubjectPublicKeyInfo / PKCS#8. */
export const newRsaKeyPair = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });

/** The answer to a login challenge: RSA-OAEP (SHA-256) decryption of its base64 `data`. */
export function decryptChallenge(privateKey: string, data: string): string {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(data, "base64"),
  ).toString("utf8");
}

export interface RsaClient {
  kind: "robot" | "store";
  id: string;
  privateKey: string;
}

/**
 * Enrols a fresh RSA key with an engineer's login (`POST <base>/auth/<kind>/new_login`), as a robot or store
 * terminal is set up; `enrolment` is the kind's own fields (robot model, store id).
 */
export async function enrolRsaClient(
  baseApiUrl: string,
  engineer: { login?: string; password?: string },
  kind: "robot" | "store",
  enrolment: Record<string, unknown>,
): Promise<RsaClient> {
  const keys = newRsaKeyPair();
  const body = await callOk("POST", `${baseApiUrl}/auth/${kind}/new_login`, undefined, {
    login: engineer.login,
    password: engineer.password,
    public_key: keys.publicKey,
    ...enrolment,
  });
  return { kind, id: body.id as string, privateKey: keys.privateKey };
}

/** Challenge, RSA answer, session token: the robots' and terminals' login. */
export async function loginRsaClient(baseApiUrl: string, client: RsaClient): Promise<string> {
  const challenge = await callOk("POST", `${baseApiUrl}/auth/${client.kind}/login`, undefined, {
    id: client.id,
  });
  const session = await callOk("POST", `${baseApiUrl}/auth/${client.kind}/login_code`, undefined, {
    request_id: challenge.request_id,
    data: decryptChallenge(client.privateKey, challenge.data as string),
  });
  return session.token as string;
}
