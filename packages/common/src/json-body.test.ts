import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import express, { type RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHandler } from "./errors.js";
import { jsonBody } from "./json-body.js";

interface Answer {
  status: number;
  body: unknown;
}

/** Echoes what the parser made of the body (`{"parsed": ...}`, `{"none": true}`), errors as the kit renders them. */
function echoApp(parser: RequestHandler) {
  const app = express();
  app.all("/echo", parser, (req, res) => {
    res.json(req.body === undefined ? { none: true } : { parsed: req.body });
  });
  app.use(errorHandler);
  return app;
}

async function listen(app: express.Express): Promise<{ server: Server; port: number }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A request with exactly these headers and bytes (no client adding a Content-Type or a length of its own). */
function send(
  port: number,
  headers: Record<string, string>,
  body?: Buffer | string[],
  method = "POST",
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path: "/echo", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on("error", reject);
    if (Array.isArray(body)) for (const part of body) req.write(part);
    else if (body) req.write(body);
    req.end();
  });
}

const json = (text: string, type = "application/json") => ({
  headers: { "content-type": type, "content-length": String(Buffer.byteLength(text)) },
  body: Buffer.from(text),
});

describe("jsonBody", () => {
  let fast: { server: Server; port: number };
  let reference: { server: Server; port: number };
  let fallbacks = 0;

  beforeAll(async () => {
    const general = express.json({ limit: "1kb" });
    const counted: RequestHandler = (req, res, next) => {
      fallbacks++;
      return general(req, res, next);
    };
    fast = await listen(echoApp(jsonBody("1kb", counted)));
    reference = await listen(echoApp(express.json({ limit: "1kb" })));
  });
  afterAll(() => {
    fast.server.close();
    reference.server.close();
  });

  /** The answer of the kit's parser, checked to be exactly express.json's for the same request. */
  async function sameAsExpressJson(
    headers: Record<string, string>,
    body?: Buffer | string[],
    method?: string,
  ) {
    const ours = await send(fast.port, headers, body, method);
    const theirs = await send(reference.port, headers, body, method);
    expect(ours).toEqual(theirs);
    return ours;
  }

  const plainCases: [string, { headers: Record<string, string>; body: Buffer }, Answer][] = [
    [
      "an object",
      json('{"code":"a\\u00e9","n":[1,2]}'),
      { status: 200, body: { parsed: { code: "aé", n: [1, 2] } } },
    ],
    ["an array with leading whitespace", json(' \n\t[1, "x"]'), { status: 200, body: { parsed: [1, "x"] } }],
    [
      "charset=utf-8",
      json('{"a":"Москва"}', "application/json; charset=utf-8"),
      { status: 200, body: { parsed: { a: "Москва" } } },
    ],
    ["a leading byte-order mark", json('\ufeff{"a":1}'), { status: 200, body: { parsed: { a: 1 } } }],
  ];
  for (const [name, request, expected] of plainCases)
    it(`reads ${name} itself, as express.json would`, async () => {
      const before = fallbacks;
      expect(await sameAsExpressJson(request.headers, request.body)).toEqual(expected);
      expect(fallbacks).toBe(before);
    });

  const invalid = {
    status: 422,
    body: { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: {} }] },
  };
  for (const [name, text] of [
    ["broken JSON", '{"a":'],
    ["a bare string (strict mode)", '"just a string"'],
    ["a bare number (strict mode)", "42"],
    ["whitespace only", "   "],
  ] as const)
    it(`refuses ${name} with express.json's error (422 json_invalid)`, async () => {
      const before = fallbacks;
      const answer = await sameAsExpressJson(json(text).headers, json(text).body);
      expect(answer.status).toBe(invalid.status);
      expect(JSON.stringify(answer.body)).toContain("json_invalid");
      expect(fallbacks).toBe(before);
    });

  it("leaves everything else to express.json: chunked, gzip, other charsets and types, too large, empty", async () => {
    const before = fallbacks;
    const text = '{"a":1}';
    expect(
      await sameAsExpressJson({ "content-type": "application/json", "transfer-encoding": "chunked" }, [
        '{"a"',
        ":1}",
      ]),
    ).toEqual({ status: 200, body: { parsed: { a: 1 } } });
    const gz = gzipSync(text);
    expect(
      await sameAsExpressJson(
        {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(gz.length),
        },
        gz,
      ),
    ).toEqual({ status: 200, body: { parsed: { a: 1 } } });
    expect(
      (await sameAsExpressJson(json(text, "application/json; charset=latin1").headers, json(text).body))
        .status,
    ).toBe(415);
    expect(await sameAsExpressJson(json(text, "text/plain").headers, json(text).body)).toEqual({
      status: 200,
      body: { none: true },
    });
    expect(await sameAsExpressJson(json(text, "application/vnd.api+json").headers, json(text).body)).toEqual({
      status: 200,
      body: { none: true },
    });
    const big = JSON.stringify({ a: "x".repeat(2000) });
    expect((await sameAsExpressJson(json(big).headers, json(big).body)).status).toBe(413);
    expect(await sameAsExpressJson({ "content-type": "application/json", "content-length": "0" })).toEqual({
      status: 200,
      body: { parsed: {} },
    });
    expect(fallbacks - before).toBe(7);
  });

  it("passes a request without a body (no length, not chunked) straight on", async () => {
    const before = fallbacks;
    expect(await sameAsExpressJson({ "content-type": "application/json" }, undefined, "GET")).toEqual({
      status: 200,
      body: { none: true },
    });
    expect(fallbacks).toBe(before);
  });
});
