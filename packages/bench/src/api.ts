import { constants, generateKeyPairSync, privateDecrypt, randomUUID } from "node:crypto";
import { BASE, ENV, STORE } from "./env.js";

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes, checked by callers
}

/** One JSON call; set-up and checks only (the load itself is autocannon's). */
export async function call(method: string, url: string, token?: string, body?: unknown): Promise<Reply> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  return { status: res.status, body: parsed };
}

/** Like `call`, but anything other than 2xx stops the bench with the answer in the message. */
export async function ok(method: string, url: string, token?: string, body?: unknown) {
  const res = await call(method, url, token, body);
  if (res.status < 200 || res.status > 299)
    throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

export async function engineerToken(): Promise<string> {
  const body = await ok("POST", `${BASE}/auth/engineer/login`, undefined, {
    login: ENV.BOOTSTRAP_ENGINEER_LOGIN,
    password: ENV.BOOTSTRAP_ENGINEER_PASSWORD,
  });
  return body.token as string;
}

export interface RsaClient {
  kind: "robot" | "store";
  id: string;
  privateKey: string;
}

export function decryptChallenge(privateKey: string, data: string): string {
  return privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
    Buffer.from(data, "base64"),
  ).toString("utf8");
}

/** Enrols a fresh RSA key with the bootstrap engineer, as a robot or store terminal is set up. */
export async function enrol(kind: "robot" | "store", enrolment: Record<string, unknown>): Promise<RsaClient> {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const body = await ok("POST", `${BASE}/auth/${kind}/new_login`, undefined, {
    login: ENV.BOOTSTRAP_ENGINEER_LOGIN,
    password: ENV.BOOTSTRAP_ENGINEER_PASSWORD,
    public_key: keys.publicKey,
    ...enrolment,
  });
  return { kind, id: body.id as string, privateKey: keys.privateKey };
}

/** Challenge, RSA answer, session token: the robots' login. */
export async function login(client: RsaClient): Promise<string> {
  const challenge = await ok("POST", `${BASE}/auth/${client.kind}/login`, undefined, { id: client.id });
  const session = await ok("POST", `${BASE}/auth/${client.kind}/login_code`, undefined, {
    request_id: challenge.request_id,
    data: decryptChallenge(client.privateKey, challenge.data as string),
  });
  return session.token as string;
}

export const enrolRobot = () =>
  enrol("robot", { robot_model_id: `bench-${randomUUID()}`, robot_model_name: "Bench:1.0" });

export const storeUrl = (path: string) => `${STORE}${path}`;
