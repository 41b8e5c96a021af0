import { randomInt, randomUUID } from "node:crypto";
import type { Request } from "autocannon";
import { decryptChallenge } from "../api.js";
import { BASE, ENV } from "../env.js";
import type { Fixtures } from "../fixtures.js";
import { jsonHeaders, measure, type LoadResult, type LoadSettings } from "../load.js";
import type { Report } from "../report-types.js";
import { servicePid } from "../rss.js";

const section = "robot";

/** `GET /robot/user/{id}`: the lookup a robot makes for every recognised passenger. */
export async function userLookup(fx: Fixtures, settings: LoadSettings, report: Report): Promise<LoadResult> {
  const userId = await fx.user(`Bench lookup ${randomUUID().slice(0, 8)}`);
  const result = await measure(
    { url: `${BASE}/robot/user/${userId}`, headers: jsonHeaders(fx.robotToken), cpuPid: servicePid("base") },
    settings,
  );
  report({ section, id: "user", name: "user lookup `GET /robot/user/{id}`", result });
  return result;
}

interface LoginContext {
  requestId?: string;
  answer?: string;
  address?: string;
}

const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/**
 * Robot login as robots do it: challenge (`/auth/robot/login`, the server RSA-encrypts a secret), then the answer
 * (`/auth/robot/login_code`, decrypted by the load generator with the robot's private key). Each connection
 * repeats the pair; a login is two requests. Logins are limited per client address (120 challenge requests and
 * answers a minute), and through nginx every bench request comes from one address, so this scenario goes
 * straight to the base port with a fresh `X-Forwarded-For` per login (loopback is a trusted proxy hop): it
 * measures what a login costs, not the limiter.
 */
export async function robotLogin(fx: Fixtures, settings: LoadSettings, report: Report): Promise<void> {
  const headers = jsonHeaders();
  const challenge: Request = {
    method: "POST",
    path: "/base_api/v1/auth/robot/login",
    body: JSON.stringify({ id: fx.robot.id }),
    setupRequest: (req, context) => {
      const ctx = context as LoginContext;
      ctx.address = randomAddress();
      return { ...req, headers: { ...headers, "x-forwarded-for": ctx.address } };
    },
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
    setupRequest: (req, context) => {
      const ctx = context as LoginContext;
      return {
        ...req,
        headers: { ...headers, "x-forwarded-for": ctx.address ?? randomAddress() },
        body: JSON.stringify({ request_id: ctx.requestId ?? "", data: ctx.answer ?? "" }),
      };
    },
  };
  const direct = `http://127.0.0.1:${ENV.BASE_PORT ?? "8001"}/base_api/v1/auth/robot/login`;
  const result = await measure({ url: direct, requests: [challenge, answer] }, settings);
  report({
    section,
    id: "login",
    name: "robot login: challenge + RSA answer (two requests), straight on :8001 (see the note)",
    result,
    note:
      `${(result.rps / 2).toFixed(0)} logins/s; a fresh X-Forwarded-For per login, as the per-address login limit ` +
      "would otherwise answer 429; the load generator's RSA decryption shares the cores",
  });
}
