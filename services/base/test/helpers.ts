import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { expect, vi } from "vitest";
import { decryptChallenge, newRsaKeyPair } from "@rail/common/testing";
import type { TestContext } from "./fixtures.js";

export const API = "/base_api/v1";

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Logs in as the bootstrap engineer (every privilege). */
export async function adminToken(ctx: TestContext): Promise<string> {
  const res = await request(ctx.app)
    .post(`${API}/auth/engineer/login`)
    .send({ login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN, password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

export interface RsaClient {
  publicKey: string;
  privateKey: string;
}

/** A robot/terminal key pair as the clients make them: RSA-2048, PEM SubjectPublicKeyInfo. */
export const newRsaClient = (): RsaClient => newRsaKeyPair();

/** What the robot does with a challenge: RSA-OAEP (SHA-256, MGF1-SHA-256) decryption of the base64 data. */
export const solveChallenge = (client: RsaClient, data: string) => decryptChallenge(client.privateKey, data);

/** Enrols a robot with the bootstrap engineer and logs it in; returns its id, key and session token. */
export async function robotSession(
  ctx: TestContext,
  modelId = `model-${Math.random().toString(36).slice(2)}`,
) {
  const client = newRsaClient();
  const enrol = await request(ctx.app).post(`${API}/auth/robot/new_login`).send({
    login: ctx.config.BOOTSTRAP_ENGINEER_LOGIN,
    password: ctx.config.BOOTSTRAP_ENGINEER_PASSWORD,
    public_key: client.publicKey,
    robot_model_id: modelId,
    robot_model_name: "TestRobot:0.1.0:001",
  });
  expect(enrol.status).toBe(200);
  const robotId = enrol.body.id as string;
  const token = await loginClient(ctx, "robot", robotId, client);
  return { robotId, client, token };
}

export async function loginClient(ctx: TestContext, kind: "robot" | "store", id: string, client: RsaClient) {
  const challenge = await request(ctx.app).post(`${API}/auth/${kind}/login`).send({ id });
  expect(challenge.status).toBe(200);
  const answer = await request(ctx.app)
    .post(`${API}/auth/${kind}/login_code`)
    .send({ request_id: challenge.body.request_id, data: solveChallenge(client, challenge.body.data) });
  expect(answer.status).toBe(200);
  return answer.body.token as string;
}

export interface StubCall {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export type StubHandler = (
  call: StubCall,
) => { status: number; body?: unknown } | Promise<{ status: number; body?: unknown }>;

/**
 * A real HTTP server standing in for the face or store service, answering with the shapes of the cross-service
 * contract. Tests swap `handler` to script answers (including 5xx outages); `calls` records what we sent.
 */
export async function startStubService() {
  const calls: StubCall[] = [];
  const state: { handler: StubHandler } = {
    handler: () => ({ status: 500, body: { detail: "no handler" } }),
  };
  const readBody = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const call: StubCall = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        body: await readBody(req),
        authorization: req.headers.authorization,
      };
      calls.push(call);
      const answer = await state.handler(call);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    set handler(h: StubHandler) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type StubService = Awaited<ReturnType<typeof startStubService>>;

/** A store service stub's answers knowing one store (`GET …/admin/store/<id>`); any other is 404 Store not found. */
export const knownStore =
  (storeId: string, storeType: "SHOP" | "RESTAURANT" = "SHOP"): StubHandler =>
  ({ path }) =>
    path === `/store_api/v1/admin/store/${storeId}`
      ? {
          status: 200,
          body: {
            id: storeId,
            name: "Buffet",
            description: "",
            logo_url: "",
            store_type: storeType,
            items: [],
          },
        }
      : { status: 404, body: { detail: "Store not found" } };

/** An address nothing listens on: calls fail to connect, as when a service is down. */
export const DEAD_SERVICE_URL = "http://127.0.0.1:9/unreachable";

/**
 * Counts the statements named `name` that go to the service's pool while `fn` runs (the real pool still answers
 * them): how the batching of hot-path lookups is seen from outside. `seen()` reads the count so far.
 */
export async function withStatementCount<T>(
  ctx: Pick<TestContext, "db">,
  name: string,
  fn: (seen: () => number) => Promise<T>,
): Promise<T> {
  const pool = ctx.db.$pg;
  let count = 0;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const spy = vi.spyOn(pool, "query").mockImplementation(((config: unknown, ...rest: unknown[]) => {
    if ((config as { name?: string } | undefined)?.name === name) count += 1;
    return query(config, ...rest);
  }) as typeof pool.query);
  try {
    return await fn(() => count);
  } finally {
    spy.mockRestore();
  }
}
