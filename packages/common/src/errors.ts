import type { ErrorRequestHandler, RequestHandler } from "express";
import type { z } from "zod";
import { getRequestContext } from "./context.js";
import { unavailableDependency } from "./dependency-errors.js";

/** Reason phrases used when an error has no explicit detail (FastAPI does the same). */
const REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export type ErrorDetail = string | Record<string, unknown> | unknown[];

/** The one error type every layer throws: an HTTP status and the `detail` the client sees. */
export class HttpError extends Error {
  readonly status: number;
  readonly detail: ErrorDetail;
  readonly headers: Record<string, string>;

  constructor(status: number, detail?: ErrorDetail, headers: Record<string, string> = {}) {
    const resolved = detail ?? REASON[status] ?? "Error";
    super(typeof resolved === "string" ? resolved : JSON.stringify(resolved));
    this.name = "HttpError";
    this.status = status;
    this.detail = resolved;
    this.headers = headers;
  }
}

export const badRequest = (detail?: ErrorDetail) => new HttpError(400, detail);
export const unauthorized = (detail: ErrorDetail = "Invalid credentials") => new HttpError(401, detail);
export const forbidden = (detail: ErrorDetail = "Insufficient privileges") => new HttpError(403, detail);
export const notFound = (detail?: ErrorDetail) => new HttpError(404, detail);
export const conflict = (detail?: ErrorDetail) => new HttpError(409, detail);
export const serviceUnavailable = (detail?: ErrorDetail) => new HttpError(503, detail);

/** One entry of a 422 `detail` list, shaped like pydantic's so existing clients can read it. */
export interface ValidationIssue {
  type: string;
  loc: (string | number)[];
  msg: string;
  input?: unknown;
}

export type RequestPart = "body" | "query" | "path" | "header" | "form";

export function zodIssuesToDetail(error: z.ZodError, part: RequestPart, input: unknown): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    const value = valueAt(input, path);
    const missing = issue.code === "invalid_type" && value === undefined;
    return {
      type: missing ? "missing" : issue.code,
      loc: [part, ...path],
      msg: missing ? "Field required" : issue.message,
      ...(value === undefined ? {} : { input: truncateInput(value) }),
    };
  });
}

export class ValidationError extends HttpError {
  constructor(issues: ValidationIssue[]) {
    super(422, issues);
    this.name = "ValidationError";
  }
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/** Echoing a 5 MB base64 image back in an error helps nobody. */
function truncateInput(value: unknown): unknown {
  if (typeof value === "string" && value.length > 200) return `${value.slice(0, 200)}...`;
  if (value !== null && typeof value === "object") {
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      return "<omitted: not serialisable>"; // e.g. nesting deep enough to exhaust the stack
    }
    if (text.length > 500) return "<omitted: too large>";
  }
  return value;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new HttpError(404));

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Errors from express and its parsers (http-errors) that are safe to show: 4xx with `expose` set. */
interface ExposableError extends Error {
  status?: number;
  expose?: boolean;
}

/**
 * A path with a malformed percent-escape (`/robot/user/%E0%A4%A`) cannot be routed; it is refused with 400 for
 * every route alike, before authentication (like malformed JSON).
 */
export function malformedPath(path: string): HttpError | undefined {
  if (!path.includes("%")) return undefined;
  try {
    decodeURIComponent(path);
    return undefined;
  } catch {
    return new HttpError(400, "Malformed percent-encoding in the URL path");
  }
}

/** Central error renderer: `{"detail": ...}` for everything, internals never leak. */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const log = req.log ?? getRequestContext()?.logger;
  let httpError: HttpError;
  if (err instanceof HttpError) {
    httpError = err;
  } else if (isBodyParserError(err)) {
    if (err.type === "entity.parse.failed") {
      httpError = new ValidationError([{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }]);
    } else if (err.type === "entity.too.large") {
      httpError = new HttpError(413, "Request body too large");
    } else if (err.type === "encoding.unsupported" || err.type === "charset.unsupported") {
      httpError = new HttpError(415, "Unsupported content encoding");
    } else {
      httpError = new HttpError(err.status ?? 400, err.message);
    }
  } else if (isExposableClientError(err)) {
    httpError = new HttpError(err.status, err.message);
  } else if (unavailableDependency(err)) {
    const dependency = unavailableDependency(err)!;
    log?.warn(
      { dependency, err: err instanceof Error ? err.message : String(err) },
      "dependency unavailable",
    );
    httpError = new HttpError(503, `${dependency} unavailable`);
  } else {
    log?.error({ err }, "unhandled error");
    httpError = new HttpError(500, "Internal Server Error");
  }
  if (httpError.status >= 500 && err instanceof HttpError)
    log?.warn({ detail: httpError.detail }, "server error");
  if (res.headersSent) return;
  res.set(httpError.headers).status(httpError.status).json({ detail: httpError.detail });
};

function isExposableClientError(err: unknown): err is ExposableError & { status: number } {
  const e = err as ExposableError;
  return (
    err instanceof Error &&
    e.expose === true &&
    typeof e.status === "number" &&
    e.status >= 400 &&
    e.status < 500
  );
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return err instanceof Error && typeof (err as BodyParserError).type === "string" && "status" in err;
}
