import { constants, generateKeyPairSync, publicEncrypt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { RobotApiError, RobotClient, TicketRejectedError, type FetchLike } from "./client.js";

const { publicKey, privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A scripted base service: challenge login with the robot's public key, sessions that the test can expire. */
function scriptedBase() {
  const calls: Call[] = [];
  const sessions = new Set<string>();
  let challenge = "";
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
  const fetchImpl: FetchLike = async (url, init) => {
    const headers = init.headers as Record<string, string>;
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init.method!, url, headers, body });
    const path = new URL(url).pathname;
    if (path.endsWith("/auth/robot/login")) {
      challenge = randomUUID();
      const data = publicEncrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
        Buffer.from(challenge),
      ).toString("base64");
      return json(200, { request_id: "r1", data });
    }
    if (path.endsWith("/auth/robot/login_code")) {
      if (body.data !== challenge) return json(401, { detail: "Invalid credentials" });
      const token = randomUUID();
      sessions.add(token);
      return json(200, { token });
    }
    if (!sessions.has((headers.Authorization ?? "").replace("Bearer ", ""))) {
      return json(401, { detail: "Invalid credentials" });
    }
    if (path.endsWith("/robot/ticket_validation")) {
      return json(400, {
        detail: { message: "Invalid wagon number", right_ticket: { id: "t1", wagon_number: 3 } },
      });
    }
    if (path.includes("/make_purchase"))
      return json(200, { id: "p1", idempotency: headers["Idempotency-Key"] });
    return json(404, { detail: "User not found" });
  };
  return { calls, sessions, fetchImpl };
}

const newClient = (fetchImpl: FetchLike) =>
  new RobotClient({
    baseApiUrl: "http://rail/base_api/v1/",
    storeApiUrl: "http://rail/store_api/v1",
    credentials: { robotId: "robot-1", privateKeyPem: privateKey },
    fetch: fetchImpl,
  });

describe("RobotClient", () => {
  it("logs in by challenge on first use and again, once, when the session has expired", async () => {
    const server = scriptedBase();
    const client = newClient(server.fetchImpl);
    expect(await client.identify("face")).toBeNull(); // 404 → nobody
    expect(server.calls.map((c) => new URL(c.url).pathname)).toEqual([
      "/base_api/v1/auth/robot/login",
      "/base_api/v1/auth/robot/login_code",
      "/base_api/v1/robot/identification",
    ]);
    server.sessions.clear(); // the session expired on the server
    expect(await client.identify("face")).toBeNull();
    expect(server.calls.slice(3).map((c) => new URL(c.url).pathname)).toEqual([
      "/base_api/v1/robot/identification",
      "/base_api/v1/auth/robot/login",
      "/base_api/v1/auth/robot/login_code",
      "/base_api/v1/robot/identification",
    ]);
  });

  it("turns {message, right_ticket} refusals into TicketRejectedError and other errors into RobotApiError", async () => {
    const server = scriptedBase();
    const client = newClient(server.fetchImpl);
    const err = await client
      .validateTicket({ stationId: "SPB", trainNumber: 1, wagonNumber: 4, date: new Date(0), code: "x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TicketRejectedError);
    expect((err as TicketRejectedError).rightTicket).toMatchObject({ wagon_number: 3 });
    const body = server.calls.at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      date: "1970-01-01T00:00:00.000Z",
      code: "x",
      face: null,
      mark_as_used: true,
    });
    await expect(client.user("u1")).rejects.toMatchObject({ status: 404, detail: "User not found" });
    await expect(client.user("u1")).rejects.toBeInstanceOf(RobotApiError);
  });

  it("sends an Idempotency-Key with every purchase (the given one, or a fresh UUID)", async () => {
    const server = scriptedBase();
    const client = newClient(server.fetchImpl);
    await client.makePurchase("s1", { user_id: "u1", items: [{ item_id: "i1", count: 1 }] }, "key-1");
    expect(server.calls.at(-1)!.headers["Idempotency-Key"]).toBe("key-1");
    await client.makePurchase("s1", { user_id: "u1", items: [{ item_id: "i1", count: 1 }] });
    expect(server.calls.at(-1)!.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
