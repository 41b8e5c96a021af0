import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import request from "supertest";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createServiceApp } from "./app.js";
import { unauthorized, HttpError } from "./errors.js";
import { createLogger } from "./logger.js";
import { ApiRouter, type AuthGuard } from "./router.js";
import { ServiceClient } from "./service-client.js";

const logger = createLogger("test", "silent");
const guard: AuthGuard<{ who: string }> = {
  scheme: "robot",
  authenticate: async (req) => {
    if (req.headers.authorization !== "Bearer good") throw unauthorized();
    return { who: "robot-1" };
  },
};

function buildTestApp(readyOk = true, log = logger) {
  const api = new ApiRouter()
    .route({
      method: "post",
      path: "/items/:id",
      summary: "echo",
      auth: guard,
      params: z.object({ id: z.uuid() }),
      query: z.object({ n: z.coerce.number().int().min(1).default(1) }),
      body: z.object({ name: z.string().max(5), count: z.number().int().positive() }),
      response: z.object({ id: z.string(), who: z.string(), n: z.number(), name: z.string() }),
      handler: async ({ params, query, body, auth }) => ({
        id: params.id,
        who: auth.who,
        n: query.n,
        name: body.name,
      }),
    })
    .route({
      method: "get",
      path: "/boom",
      summary: "fails",
      handler: async () => {
        throw new Error("database password is hunter2");
      },
    })
    .route({
      method: "get",
      path: "/teapot",
      summary: "business error",
      handler: async () => {
        throw new HttpError(409, { message: "Ticket already used", right_ticket: null });
      },
    });
  return createServiceApp({
    name: "test",
    prefix: "/test_api/v1",
    logger: log,
    api,
    readiness: [
      { name: "postgres", check: async () => undefined },
      {
        name: "redis",
        check: async () => {
          if (!readyOk) throw new Error("connection refused");
        },
      },
    ],
  });
}

const ID = "6f1c1f9e-3b1a-4c47-9a57-0b1e3c2d4e5f";

describe("service app", () => {
  it("authenticates before validating, as the reference did (401 beats 422)", async () => {
    const res = await request(buildTestApp()).post("/test_api/v1/items/not-a-uuid").send({});
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ detail: "Invalid credentials" });
  });

  it("renders validation failures as a 422 detail list with locations", async () => {
    const res = await request(buildTestApp())
      .post("/test_api/v1/items/not-a-uuid?n=0")
      .set("Authorization", "Bearer good")
      .send({ name: "far too long" });
    expect(res.status).toBe(422);
    const locs = (res.body.detail as { loc: unknown[] }[]).map((d) => d.loc);
    expect(locs).toEqual([["path", "id"]]);
    const body = await request(buildTestApp())
      .post(`/test_api/v1/items/${ID}`)
      .set("Authorization", "Bearer good")
      .send({ name: "far too long" });
    expect(body.status).toBe(422);
    expect(body.body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ["body", "name"], type: "too_big" }),
        expect.objectContaining({ loc: ["body", "count"], type: "missing", msg: "Field required" }),
      ]),
    );
  });

  it("refuses absurdly nested bodies with 422 after authentication, never overflowing into a 500", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    const send = (auth?: string) => {
      const req = request(buildTestApp())
        .post(`/test_api/v1/items/${ID}`)
        .set("Content-Type", "application/json");
      return (auth ? req.set("Authorization", auth) : req).send(`{"name":"tea","count":1,"extra":${deep}}`);
    };
    expect((await send()).status).toBe(401);
    const res = await send("Bearer good");
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ type: "too_deep", loc: ["body"] });
  });

  it("passes parsed input to the handler", async () => {
    const res = await request(buildTestApp())
      .post(`/test_api/v1/items/${ID}?n=3`)
      .set("Authorization", "Bearer good")
      .send({ name: "tea", count: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: ID, who: "robot-1", n: 3, name: "tea" });
  });

  it("turns malformed JSON into 422 json_invalid, not 500", async () => {
    const res = await request(buildTestApp())
      .post(`/test_api/v1/items/${ID}`)
      .set("Authorization", "Bearer good")
      .set("Content-Type", "application/json")
      .send('{"name": ');
    expect(res.status).toBe(422);
    expect(res.body.detail[0].type).toBe("json_invalid");
  });

  it("authenticates before parsing the body: an anonymous caller's malformed, oversized or NUL JSON is 401", async () => {
    const anonymous = (body: string) =>
      request(buildTestApp())
        .post(`/test_api/v1/items/${ID}`)
        .set("Content-Type", "application/json")
        .send(body);
    for (const body of [
      '{"name": ',
      `{"name":"${"x".repeat(2_000_000)}"}`,
      '{"name":"a\\u0000b","count":1}',
    ]) {
      const res = await anonymous(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ detail: "Invalid credentials" });
    }
  });

  it("refuses NUL characters in a body with 422 (Postgres text cannot hold them)", async () => {
    const res = await request(buildTestApp())
      .post(`/test_api/v1/items/${ID}`)
      .set("Authorization", "Bearer good")
      .set("Content-Type", "application/json")
      .send('{"name":"a\\u0000b","count":1}');
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({
      loc: ["body", "name"],
      msg: "NUL characters are not allowed",
    });
  });

  it("routes case-sensitively: another spelling of a path is not the route", async () => {
    for (const path of [`/test_api/v1/ITEMS/${ID}`, `/TEST_API/v1/items/${ID}`, `/test_api/V1/items/${ID}`]) {
      const res = await request(buildTestApp())
        .post(path)
        .set("Authorization", "Bearer good")
        .send({ name: "tea", count: 2 });
      expect(res.status).toBe(404);
    }
    expect((await request(buildTestApp()).get("/test_api/v1/HEALTH")).status).toBe(404);
  });

  it("hides internals of unexpected errors", async () => {
    const res = await request(buildTestApp()).get("/test_api/v1/boom");
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ detail: "Internal Server Error" });
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
  });

  it("serialises object details", async () => {
    const res = await request(buildTestApp()).get("/test_api/v1/teapot");
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ detail: { message: "Ticket already used", right_ticket: null } });
  });

  it("refuses a malformed percent-escape in the path with 400 before authentication", async () => {
    const res = await request(buildTestApp()).post("/test_api/v1/items/%E0%A4%A").send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Malformed percent-encoding in the URL path" });
    const wellFormed = await request(buildTestApp())
      .post(`/test_api/v1/items/${encodeURIComponent(ID)}`)
      .send({});
    expect(wellFormed.status).toBe(401);
  });

  it("counts requests and their durations by route template, method and status across scrapes", async () => {
    const app = buildTestApp();
    const count = async (route: string, status: number) => {
      const text = (await request(app).get("/metrics")).text;
      const line = (name: string) =>
        text
          .split("\n")
          .find(
            (l) =>
              l.startsWith(`${name}{`) && l.includes(`route="${route}"`) && l.includes(`status="${status}"`),
          );
      const total = line("http_requests_total");
      const observed = line("http_request_duration_seconds_count");
      return [total && Number(total.split(" ").pop()), observed && Number(observed.split(" ").pop())];
    };
    const echo = (id: string) =>
      request(app)
        .post(`/test_api/v1/items/${id}`)
        .set("Authorization", "Bearer good")
        .send({ name: "tea", count: 1 });
    expect((await echo(ID)).status).toBe(200);
    expect((await echo("6f1c1f9e-3b1a-4c47-9a57-0b1e3c2d4e60")).status).toBe(200);
    expect((await request(app).get("/test_api/v1/teapot")).status).toBe(409);
    expect(await count("/test_api/v1/items/:id", 200)).toEqual([2, 2]);
    expect(await count("/test_api/v1/teapot", 409)).toEqual([1, 1]);
    expect((await echo(ID)).status).toBe(200);
    expect(await count("/test_api/v1/items/:id", 200)).toEqual([3, 3]);
    expect(await count("/test_api/v1/health", 200)).toEqual([undefined, undefined]);
    await request(app).get("/test_api/v1/health");
    expect(await count("/test_api/v1/health", 200)).toEqual([1, 1]);
  });

  it("answers 405 with Allow for a known path asked with another method, 404 for unknown paths", async () => {
    const res = await request(buildTestApp()).delete(`/test_api/v1/items/${ID}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("POST");
    expect(res.body).toEqual({ detail: "Method Not Allowed" });
    expect((await request(buildTestApp()).get("/test_api/v1/nothing-here")).status).toBe(404);
  });

  it("answers 415 for a JSON body in an unsupported charset, not 500", async () => {
    const res = await request(buildTestApp())
      .post(`/test_api/v1/items/${ID}`)
      .set("Authorization", "Bearer good")
      .set("Content-Type", "application/json; charset=klingon")
      .send('{"name":"tea","count":1}');
    expect(res.status).toBe(415);
  });

  it("names the failing dependency in /ready", async () => {
    const res = await request(buildTestApp(false)).get("/test_api/v1/ready");
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe("Not ready: redis unavailable");
    expect(res.body.checks.postgres).toBe("ok");
  });

  it("documents routes in OpenAPI with their schemas and security", async () => {
    const res = await request(buildTestApp()).get("/test_api/v1/openapi.json");
    const op = res.body.paths["/items/{id}"].post;
    expect(op.security).toEqual([{ robot: [] }]);
    expect(op.requestBody.content["application/json"].schema.required).toEqual(["name", "count"]);
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      "path:id",
      "query:n",
    ]);
    expect(op.responses["401"]).toBeDefined();
  });
});

describe("service client", () => {
  async function withServer(handler: Parameters<typeof createServer>[1], fn: (url: string) => Promise<void>) {
    const server = createServer(handler);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      await fn(`http://127.0.0.1:${port}/x_api/v1`);
    } finally {
      server.close();
    }
  }

  it("validates successful responses and sends the service token", async () => {
    await withServer(
      (req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ auth: req.headers.authorization, path: req.url }));
      },
      async (url) => {
        const client = new ServiceClient({ name: "x", baseUrl: url, token: "secret" });
        const res = await client.request({
          method: "GET",
          path: "/things",
          query: { ids: ["a", "b"] },
          response: z.object({ auth: z.string(), path: z.string() }),
        });
        expect(res).toEqual({
          ok: true,
          status: 200,
          data: { auth: "Bearer secret", path: "/x_api/v1/things?ids=a&ids=b" },
        });
      },
    );
  });

  it("returns 4xx details to the caller and maps 5xx and outages to 503", async () => {
    await withServer(
      (req, res) => {
        res.statusCode = req.url?.endsWith("/missing") ? 404 : 500;
        res.end(JSON.stringify({ detail: "Store not found" }));
      },
      async (url) => {
        const client = new ServiceClient({ name: "store", baseUrl: url });
        const missing = await client.request({ method: "GET", path: "/missing", response: z.unknown() });
        expect(missing).toEqual({ ok: false, status: 404, detail: "Store not found" });
        await expect(
          client.request({ method: "GET", path: "/broken", response: z.unknown() }),
        ).rejects.toMatchObject({
          status: 503,
          detail: "Store service unavailable",
        });
      },
    );
    const dead = new ServiceClient({
      name: "face",
      baseUrl: "http://127.0.0.1:9/face_api/v1",
      timeoutMs: 500,
    });
    await expect(
      dead.request({ method: "GET", path: "/faces", response: z.unknown() }),
    ).rejects.toMatchObject({
      status: 503,
      detail: "Face service unavailable",
    });
  });
});

describe("request log lines", () => {
  /** A logger like createLogger's (name and service bindings, ISO time) writing its lines into an array. */
  function capturingLogger(level: string) {
    const lines: Record<string, unknown>[] = [];
    const raw: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) {
          raw.push(line);
          lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const log = pino(
      { name: "test", level, base: { service: "test" }, timestamp: pino.stdTimeFunctions.isoTime },
      stream,
    );
    return { log, lines, raw };
  }
  const completed = (lines: Record<string, unknown>[]) => lines.filter((l) => l.msg === "request completed");

  it("writes one line per finished request, exactly as pino would: id, method, URL, status, time; by status level", async () => {
    const { log, lines, raw } = capturingLogger("info");
    const app = buildTestApp(true, log);
    await request(app)
      .post(`/test_api/v1/items/${ID}?n=2`)
      .set("Authorization", "Bearer good")
      .set("X-Request-Id", "req-1")
      .send({ name: "tea", count: 1 })
      .expect(200);
    await request(app).get("/test_api/v1/teapot").set("X-Request-Id", "req-2").expect(409);
    await request(app).get("/test_api/v1/boom").set("X-Request-Id", "req-3").expect(500);
    await request(app).get("/test_api/v1/health").expect(200);
    await vi.waitFor(() => expect(completed(lines)).toHaveLength(3));

    const [ok, refused, failed] = completed(lines);
    expect(ok).toMatchObject({
      level: 30,
      service: "test",
      name: "test",
      requestId: "req-1",
      req: { method: "POST", url: `/test_api/v1/items/${ID}?n=2` },
      res: { statusCode: 200 },
      msg: "request completed",
    });
    expect(new Date(ok!.time as string).toISOString()).toBe(ok!.time);
    expect(typeof ok!.responseTime).toBe("number");
    expect([refused!.level, refused!.requestId, (refused!.res as { statusCode: number }).statusCode]).toEqual(
      [40, "req-2", 409],
    );
    expect([failed!.level, failed!.requestId]).toEqual([50, "req-3"]);
    // The health probe wrote nothing; the same fields through pino itself give the same line, key for key.
    const index = raw.findIndex((l) => l.includes('"req-1"'));
    const written = raw[index]!;
    const fields = { requestId: "req-1", req: ok!.req, res: ok!.res, responseTime: ok!.responseTime };
    log.info(fields, "request completed");
    const byPino = raw.at(-1)!;
    const withoutTime = (line: string) => line.replace(/"time":"[^"]+"/, "");
    expect(withoutTime(written)).toBe(withoutTime(byPino));
  });

  it("leaves out lines below the logger's level", async () => {
    const { log, lines } = capturingLogger("warn");
    const app = buildTestApp(true, log);
    await request(app)
      .post(`/test_api/v1/items/${ID}`)
      .set("Authorization", "Bearer good")
      .send({ name: "tea", count: 1 })
      .expect(200);
    await request(app).post(`/test_api/v1/items/${ID}`).send({}).set("X-Request-Id", "req-9").expect(401);
    await vi.waitFor(() => expect(completed(lines)).toHaveLength(1));
    expect(completed(lines)[0]).toMatchObject({ level: 40, requestId: "req-9" });
  });
});
