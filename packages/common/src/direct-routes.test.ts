import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createServiceApp } from "./app.js";
import { directRoutes } from "./direct-routes.js";
import { HttpError } from "./errors.js";
import { createLogger } from "./logger.js";
import { ApiRouter } from "./router.js";

const logger = createLogger("test", "silent");
const id = z.object({ id: z.string() });

/** Routes whose order matters: express takes the first match, a radix tree would prefer static segments. */
function routes() {
  const sub = new ApiRouter().route({
    method: "get",
    path: "/x/:y",
    summary: "child",
    params: z.object({ y: z.string() }),
    handler: async ({ params }) => ({ route: "sub", y: params.y }),
  });
  return new ApiRouter()
    .route({
      method: "get",
      path: "/items/:id",
      summary: "param first",
      params: id,
      handler: async ({ params }) => ({ route: "items-param", id: params.id }),
    })
    .route({
      method: "get",
      path: "/items/special",
      summary: "static after the param: express never reaches it",
      handler: async () => ({ route: "items-static" }),
    })
    .route({
      method: "get",
      path: "/things/special",
      summary: "static first",
      handler: async () => ({ route: "things-static" }),
    })
    .route({
      method: "get",
      path: "/things/:id",
      summary: "param after the static",
      params: id,
      handler: async ({ params }) => ({ route: "things-param", id: params.id }),
    })
    .route({
      method: "post",
      path: "/items/:id",
      summary: "another method",
      params: id,
      body: z.object({ n: z.number() }),
      handler: async ({ params, body }) => ({ route: "items-post", id: params.id, n: body.n }),
    })
    .route({
      method: "get",
      path: "/teapot",
      summary: "throws",
      handler: async () => {
        throw new HttpError(418, "I'm a teapot");
      },
    })
    .route({
      method: "get",
      path: "/refused",
      summary: "middleware passes an error on",
      middleware: [(_req, _res, next) => next(new HttpError(403, "Refused"))],
      handler: async () => ({ reached: true }),
    })
    .use("/sub", sub);
}

const app = (api: ApiRouter) => createServiceApp({ name: "t", prefix: "/t", logger, api, readiness: [] });

const REQUESTS: [method: "get" | "post" | "put" | "head", path: string][] = [
  ["get", "/t/items/1"],
  ["get", "/t/items/special"],
  ["get", "/t/things/special"],
  ["get", "/t/things/2"],
  ["get", "/t/items/1/"],
  ["get", "/t/Items/1"],
  ["get", "/t/items/sp%65cial"],
  ["get", "/t/things/sp%65cial"],
  ["get", "/t/things/special;x"],
  ["get", "/t/items//1"],
  ["get", "/t/sub/x/5"],
  ["get", "/t/sub/x/5?q=1"],
  ["head", "/t/items/1"],
  ["post", "/t/items/7"],
  ["put", "/t/items/7"],
  ["get", "/t/teapot"],
  ["get", "/t/refused"],
  ["get", "/t/nothing"],
];

describe("direct dispatch of API routes", () => {
  it("answers every request exactly as express's own routing does", async () => {
    const direct = app(routes());
    // A layer added to the express router directly hides the routes' order: the kit then leaves routing to express.
    const plain = routes();
    plain.router.use((_req, _res, next) => next());
    expect(plain.routes).toBeNull();
    const reference = app(plain);
    for (const [method, path] of REQUESTS) {
      const send = (a: express.Express) => {
        const r = request(a)[method](path);
        return method === "post" ? r.send({ n: 3 }) : r;
      };
      const [a, b] = [await send(direct), await send(reference)];
      expect({ path, method, status: a.status, body: a.body, allow: a.headers.allow }).toEqual({
        path,
        method,
        status: b.status,
        body: b.body,
        allow: b.headers.allow,
      });
      if (method !== "head") expect(a.headers["content-type"]).toBe(b.headers["content-type"]);
      expect(a.headers["content-length"]).toBe(b.headers["content-length"]);
    }
    expect((await request(direct).get("/t/things/special")).body).toEqual({ route: "things-static" });
    expect((await request(direct).get("/t/items/special")).body).toEqual({
      route: "items-param",
      id: "special",
    });
  });

  it("takes only the routes no earlier route shadows; the rest fall through to express", async () => {
    const handler = directRoutes(routes().routes)!;
    expect(handler).toBeDefined();
    // Only the dispatcher, then 404: what it did not take falls through.
    const only = express();
    only.use("/t", handler);
    only.use((_req, res) => res.status(404).json({ fellThrough: true }));
    only.use(((err, _req, res, _next) =>
      res.status(err.status ?? 500).json({ detail: err.message })) as express.ErrorRequestHandler);
    const served = async (method: "get" | "post" | "head", path: string) => {
      const r = request(only)[method](path);
      return (await (method === "post" ? r.send({ n: 1 }) : r)).body?.fellThrough !== true;
    };
    expect(await served("get", "/t/items/1")).toBe(true);
    expect(await served("get", "/t/items/special")).toBe(true); // by the param route, as express would
    expect(await served("get", "/t/things/special")).toBe(true);
    expect(await served("get", "/t/things/2")).toBe(false); // shadowed by the earlier static route's path
    expect(await served("get", "/t/sub/x/5")).toBe(true);
    expect(await served("post", "/t/items/1")).toBe(true);
    expect(await served("get", "/t/items/sp%65cial")).toBe(false);
    expect(await served("get", "/t/teapot")).toBe(true); // its error goes on to the error handler
  });
});
