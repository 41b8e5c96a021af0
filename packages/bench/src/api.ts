import { randomUUID } from "node:crypto";
import {
  call,
  callOk,
  decryptChallenge,
  enrolRsaClient,
  loginRsaClient,
  type Reply,
  type RsaClient,
} from "@rail/common/testing";
import { BASE, ENV, STORE } from "./env.js";

// One JSON call for set-up and checks (the load itself is autocannon's), shared with the e2e tests.
export { call, decryptChallenge, type Reply, type RsaClient };

/** Like `call`, but anything other than 2xx stops the bench with the answer in the message. */
export const ok = callOk;

const ENGINEER = { login: ENV.BOOTSTRAP_ENGINEER_LOGIN, password: ENV.BOOTSTRAP_ENGINEER_PASSWORD };

export async function engineerToken(): Promise<string> {
  const body = await ok("POST", `${BASE}/auth/engineer/login`, undefined, ENGINEER);
  return body.token as string;
}

/** Enrols a fresh RSA key with the bootstrap engineer, as a robot or store terminal is set up. */
export const enrol = (kind: "robot" | "store", enrolment: Record<string, unknown>): Promise<RsaClient> =>
  enrolRsaClient(BASE, ENGINEER, kind, enrolment);

/** Challenge, RSA answer, session token: the robots' login. */
export const login = (client: RsaClient): Promise<string> => loginRsaClient(BASE, client);

export const enrolRobot = () =>
  enrol("robot", { robot_model_id: `bench-${randomUUID()}`, robot_model_name: "Bench:1.0" });

export const storeUrl = (path: string) => `${STORE}${path}`;
