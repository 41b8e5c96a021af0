import { spawn, type ChildProcess } from "node:child_process";
import { constants, generateKeyPairSync, privateDecrypt, randomUUID } from "node:crypto";
import { freePort } from "@rail/common/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENV, ROOT, SERVICES, until } from "./support.js";

/**
 * Two base replicas share everything through Postgres and Redis: a second base process is started next to the
 * suite's own base, over the same database and Redis database (as `scripts/stack up --replicas base=2` does for
 * the stack), and sessions, login challenges and login limits must
 * work whichever replica a request lands on.
 */
describe("base replicas share sessions, challenges and limits", () => {
  let second: ChildProcess | undefined;
  let replicas: [string, string];
  const address = `198.51.100.${Math.floor(Math.random() * 250)}`;

  beforeAll(async () => {
    const port = await freePort();
    second = spawn("pnpm", ["--filter", "@rail/base", "start"], {
      cwd: ROOT,
      detached: true,
      stdio: "ignore",
      env: {
        ...(ENV as Record<string, string>),
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: ENV.BASE_DATABASE_URL!,
        MIGRATE_ON_START: "false",
        LOG_LEVEL: "warn",
      },
    });
    replicas = [SERVICES.base.url, `http://127.0.0.1:${port}/base_api/v1`];
    await until(
      async () => (await fetch(`${replicas[1]}/ready`)).status === 200,
      120_000,
      "second base replica ready",
    );
  });
  afterAll(() => {
    if (second?.pid) process.kill(-second.pid, "SIGTERM");
  });

  const call = async (replica: 0 | 1, method: string, p: string, body?: unknown, token?: string) => {
    const res = await fetch(replicas[replica] + p, {
      method,
      headers: {
        "x-forwarded-for": address,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };

  it("an engineer session from one replica works on the other; a robot challenge issued by one is answered on the other", async () => {
    const login = await call(0, "POST", "/auth/engineer/login", {
      login: ENV.BOOTSTRAP_ENGINEER_LOGIN,
      password: ENV.BOOTSTRAP_ENGINEER_PASSWORD,
    });
    expect(login.status).toBe(200);
    const admin = String(login.body.token);
    expect((await call(1, "GET", "/admin/engineers", undefined, admin)).status).toBe(200);

    const keys = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const enrol = await call(1, "POST", "/auth/robot/new_login", {
      login: ENV.BOOTSTRAP_ENGINEER_LOGIN,
      password: ENV.BOOTSTRAP_ENGINEER_PASSWORD,
      public_key: keys.publicKey,
      robot_model_id: `replica-${randomUUID().slice(0, 8)}`,
      robot_model_name: "Replica test robot",
    });
    expect(enrol.status).toBe(200);
    const challenge = await call(0, "POST", "/auth/robot/login", { id: enrol.body.id });
    const answer = privateDecrypt(
      { key: keys.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      Buffer.from(String(challenge.body.data), "base64"),
    ).toString("utf8");
    const session = await call(1, "POST", "/auth/robot/login_code", {
      request_id: challenge.body.request_id,
      data: answer,
    });
    expect(session.status).toBe(200);
    // One challenge buys one session, whichever replica is asked again.
    expect(
      (
        await call(0, "POST", "/auth/robot/login_code", {
          request_id: challenge.body.request_id,
          data: answer,
        })
      ).status,
    ).toBe(401);
    await call(0, "DELETE", `/admin/robots/${String(enrol.body.id)}`, undefined, admin);
  });

  it("counts failed logins across replicas", async () => {
    const login = `replica-limit-${randomUUID().slice(0, 8)}`;
    const max = Number(ENV.LOGIN_MAX_FAILURES ?? 10);
    for (let i = 0; i < max; i++)
      expect(
        (await call((i % 2) as 0 | 1, "POST", "/auth/engineer/login", { login, password: "wrong" })).status,
      ).toBe(401);
    for (const replica of [0, 1] as const)
      expect((await call(replica, "POST", "/auth/engineer/login", { login, password: "wrong" })).status).toBe(
        429,
      );
  });
});
