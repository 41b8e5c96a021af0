import { randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import { decryptChallenge } from "../api.js";
import { BASE } from "../env.js";
import type { Fixtures } from "../fixtures.js";
import { jsonHeaders, measure, type LoadResult, type LoadSettings } from "../load.js";
import type { Report } from "../report-types.js";

const section = "robot";

/** `GET /robot/user/{id}`: the lookup a robot makes for every recognised passenger. */
export async function userLookup(fx: Fixtures, settings: LoadSettings, report: Report): Promise<LoadResult> {
  const userId = await fx.user(`Bench lookup ${randomUUID().slice(0, 8)}`);
  const result = await measure(
    { url: `${BASE}/robot/user/${userId}`, headers: jsonHeaders(fx.robotToken) },
    settings,
  );
  report({ section, id: "user", name: "user lookup `GET /robot/user/{id}`", result });
  return result;
}

interface LoginContext {
  requestId?: string;
  answer?: string;
}

/**
 * Robot login as robots do it: challenge (`/auth/robot/login`, the server RSA-encrypts a secret), then the answer
 * (`/auth/robot/login_code`, decrypted by the load generator with the robot's private key). Each connection
 * repeats the pair; a login is two requests.
 */
export async function robotLogin(fx: Fixtures, settings: LoadSettings, report: Report): Promise<void> {
  const headers = jsonHeaders();
  const challenge: Request = {
    method: "POST",
    path: "/base_api/v1/auth/robot/login",
    headers,
    body: JSON.stringify({ id: fx.robot.id }),
    onResponse: (status, body, context) => {
      const ctx = context as LoginContext;
      if (status !== 200) return;
      const parsed = JSON.parse(body) as { request_id: string; data: string };
      ctx.requestId = parsed.request_id;
      ctx.answer = decryptChallenge(fx.robot.privateKey, parsed.data);
    },
  };
  const answer: Request = {
    method: "POST",
    path: "/base_api/v1/auth/robot/login_code",
    headers,
    setupRequest: (req, context) => {
      const ctx = context as LoginContext;
      return { ...req, body: JSON.stringify({ request_id: ctx.requestId ?? "", data: ctx.answer ?? "" }) };
    },
  };
  const result = await measure({ url: `${BASE}/auth/robot/login`, requests: [challenge, answer] }, settings);
  report({
    section,
    id: "login",
    name: "robot login: challenge + RSA answer (two requests)",
    result,
    note: `${(result.rps / 2).toFixed(0)} logins/s (the load generator's RSA decryption shares the cores)`,
  });
}
