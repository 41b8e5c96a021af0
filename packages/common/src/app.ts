import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import express, { type Express, type Request, type RequestHandler, type Response } from "express";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { runWithRequestContext, type RequestContext } from "./context.js";
import { directRoutes } from "./direct-routes.js";
import { HttpError, errorHandler, malformedPath, notFoundHandler } from "./errors.js";
import { runReadinessChecks, type ReadinessCheck } from "./health.js";
import { createHttpMetrics, type HttpMetrics } from "./metrics.js";
import { buildOpenApiDocument, type SecuritySchemeDoc } from "./openapi.js";
import { BODY_PIPELINE, sendJson, type ApiRouter } from "./router.js";
import { SECURITY_SCHEMES } from "./auth.js";
import { rejectNulInBody } from "./validation.js";
import { jsonBody } from "./json-body.js";
import { requestLineWriter } from "./logger.js";

declare module "node:http" {
  interface IncomingMessage {
    /** The request id (X-Request-Id), set by the kit's request logger. */
    id: string;
    /** Child logger carrying the request id. */
    log: Logger;
  }
}

export const REQUEST_ID_HEADER = "x-request-id";
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ServiceAppOptions {
  /** Service name, used in logs, metrics and docs. */
  name: string;
  /** Mount point of the API, e.g. `/base_api/v1`. */
  prefix: string;
  version?: string;
  description?: string;
  logger: Logger;
  api: ApiRouter;
  readiness: ReadinessCheck[];
  /** Body limit for JSON requests (face images arrive base64-encoded, so the face service raises it). */
  jsonLimit?: string;
  securitySchemes?: Record<string, SecuritySchemeDoc>;
  /** Extra middleware mounted before the API router (the body is not parsed yet: see `bodyChecks`). */
  before?: RequestHandler[];
  /** Checks of the parsed body, run on every API route after authentication and JSON parsing. */
  bodyChecks?: RequestHandler[];
  /** Middleware tried after the API router, before the 404 handler (e.g. a web app's static files). */
  after?: RequestHandler[];
  /** A registry holding the service's own metrics, served on /metrics together with the HTTP ones. */
  metricsRegistry?: Registry;
}

/**
 * Builds an express app with everything a service needs around its routes: request ids, structured request
 * logs, metrics, health/readiness, OpenAPI + docs, and the central error handler.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  // `/Internal/...` must not reach the `/internal/...` routes (nginx refuses the latter only as spelt).
  app.set("case sensitive routing", true);
  app.disable("x-powered-by");
  // No ETag (a SHA-1 of every JSON answer) nor 304s: the reference sent none, clients never revalidate API answers.
  app.set("etag", false);
  app.set("trust proxy", "loopback, uniquelocal");
  const metrics = createHttpMetrics(opts.name, opts.metricsRegistry);

  app.use(requestStart(app, opts.logger, metrics));

  // Internal only: nginx routes API prefixes, never /metrics.
  app.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  const prefix = opts.prefix;
  // The liveness probe (and the benchmarks' baseline): a constant answer, serialised once.
  const health = JSON.stringify({ status: "ok", service: opts.name });
  app.get(`${prefix}/health`, (req, res) => sendJson(req, res, 200, health));
  app.get(`${prefix}/ready`, async (_req, res) => {
    const result = await runReadinessChecks(opts.readiness);
    if (result.ready) res.json({ status: "ready", checks: result.checks });
    else
      res
        .status(503)
        .json({ detail: `Not ready: ${result.failing.join(", ")} unavailable`, checks: result.checks });
  });

  let openApiDoc: unknown;
  app.get(`${prefix}/openapi.json`, (_req, res) => {
    openApiDoc ??= buildOpenApiDocument({
      title: `${opts.name} API`,
      version: opts.version ?? "1.0.0",
      description: opts.description,
      serverUrl: prefix,
      operations: opts.api.operations,
      securitySchemes: { ...SECURITY_SCHEMES, ...opts.securitySchemes },
    });
    res.json(openApiDoc);
  });
  const swaggerDir = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  app.use(`${prefix}/docs/assets`, express.static(swaggerDir, { index: false, maxAge: "1h" }));
  app.get(`${prefix}/docs`, (_req, res) => {
    res.type("html").send(docsPage(opts.name, prefix));
  });

  // Parsed per route after authentication (ApiRouter): an anonymous caller's malformed JSON is 401, not 422.
  app.locals[BODY_PIPELINE] = [
    jsonBody(opts.jsonLimit ?? "1mb"),
    rejectNulInBody,
    ...(opts.bodyChecks ?? []),
  ];
  for (const handler of opts.before ?? []) app.use(handler);
  const direct = directRoutes(opts.api.routes);
  if (direct) app.use(prefix || "/", direct);
  app.use(prefix || "/", opts.api.router);
  app.use(prefix || "/", methodNotAllowed(opts.api));
  for (const handler of opts.after ?? []) app.use(handler);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

const QUIET = /\/(health|ready|metrics)$/;

/**
 * What every request goes through first, in one middleware (each express layer costs a few µs): the request id
 * (`X-Request-Id`, taken from the caller when well-formed), the request context (id and logger, following the
 * request through awaits), the request log line and metrics when the response is done, and the malformed-path check.
 *
 * One JSON line per finished request (`request completed`, or `request aborted` when the client went away first):
 * request id, method, URL, status and time, at info / warn (4xx) / error (5xx). `req.log`, the request's child
 * logger carrying its id, is created only when something logs through it. This replaced pino-http, whose
 * per-request child logger with a serialised request cost ~10 % of a simple route's CPU (measured with
 * `node --cpu-prof` under `pnpm bench` load) and whose lines lacked the request id. Probes are not logged. The
 * lines are written from a template (`requestLineWriter`: the JSON pino would write, without its generic object
 * walk or redaction; their fields are fixed and hold no secret).
 */
function requestStart(app: Express, logger: Logger, metrics: HttpMetrics): RequestHandler {
  // `req.log` is a getter on the app's request prototype: no per-request work unless something logs.
  const child = Symbol("request logger");
  Object.defineProperty(app.request, "log", {
    configurable: true,
    get(this: { id: string; [child]?: Logger }) {
      return (this[child] ??= logger.child({ requestId: this.id }));
    },
  });
  const writeLine = requestLineWriter(logger);
  // Per-request state lives on the response and one shared listener reads it: no closures per request (this
  // middleware runs for every request, so its allocations showed up as garbage-collection time in profiles).
  function onClose(this: Response & { [STARTED]: number; [LOGGED]: boolean }) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the response the shared listener fired for
    const res = this;
    const req = res.req;
    const finished = res.writableFinished;
    const ms = performance.now() - res[STARTED];
    if (finished) metrics.record(req, res.statusCode, ms / 1000);
    if (!res[LOGGED]) return;
    const statusCode = res.statusCode;
    const line = {
      requestId: req.id,
      method: req.method,
      url: req.originalUrl,
      statusCode,
      responseTime: Math.round(ms),
    };
    if (!finished) writeLine("info", line, "request aborted");
    else
      writeLine(statusCode >= 500 ? "error" : statusCode >= 400 ? "warn" : "info", line, "request completed");
  }
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId =
      typeof incoming === "string" && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);
    req.id = requestId;
    const path = req.path;
    const state = res as Response & { [STARTED]: number; [LOGGED]: boolean };
    state[STARTED] = performance.now();
    state[LOGGED] = !QUIET.test(path);
    // 'close' follows 'finish' on every response, and comes alone when the client went away first.
    res.on("close", onClose);
    // The context's logger is looked up only when used, so a request that logs nothing creates no child logger.
    runWithRequestContext(new LazyRequestContext(req), next as (err?: unknown) => void, malformedPath(path));
  };
}

const STARTED = Symbol("request started");
const LOGGED = Symbol("request logged");

/** The request context of `requestStart`: its logger is the request's own, made on first use. */
class LazyRequestContext implements RequestContext {
  constructor(private readonly req: Request) {}
  get requestId() {
    return this.req.id;
  }
  get logger() {
    return this.req.log;
  }
}

/**
 * A known path asked with a method it does not have: 405 with `Allow`, as FastAPI answered, rather than 404.
 * Mounted after the API router, so it only sees requests no route took.
 */
function methodNotAllowed(api: ApiRouter) {
  const router = express.Router({ caseSensitive: true });
  const methods = new Map<string, Set<string>>();
  for (const op of api.operations) {
    const set = methods.get(op.path) ?? new Set<string>();
    set.add(op.method.toUpperCase());
    methods.set(op.path, set);
  }
  for (const [path, allowed] of methods) {
    const allow = [...allowed].sort().join(", ");
    router.all(path, (_req, _res, next) => next(new HttpError(405, "Method Not Allowed", { Allow: allow })));
  }
  return router;
}

function docsPage(name: string, prefix: string) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${name} API docs</title>
<link rel="stylesheet" href="${prefix}/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="${prefix}/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: "${prefix}/openapi.json", dom_id: "#docs" });</script>
</body></html>`;
}
