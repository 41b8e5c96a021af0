import type { z } from "zod";
import { getRequestContext } from "./context.js";
import { HttpError } from "./errors.js";

export interface ServiceClientOptions {
  /** Human name used in error messages, e.g. "face". */
  name: string;
  /** Base URL including the API prefix, e.g. http://127.0.0.1:8003/face_api/v1 */
  baseUrl: string;
  timeoutMs?: number;
  /** Sent as `Authorization: Bearer <token>` (the internal service token). */
  token?: string;
}

export type ServiceResponse<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; detail: unknown };

export interface ServiceRequest<S extends z.ZodType> {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** Schema of a successful (2xx) response body. */
  response: S;
  timeoutMs?: number;
}

/**
 * Typed client for calls between services. Successful bodies are validated with zod; network failures,
 * timeouts and 5xx answers become 503 `<name> service unavailable` so callers degrade with a clear detail.
 */
export class ServiceClient {
  constructor(private readonly opts: ServiceClientOptions) {}

  get name() {
    return this.opts.name;
  }

  async request<S extends z.ZodType>(req: ServiceRequest<S>): Promise<ServiceResponse<z.infer<S>>> {
    const url = new URL(this.opts.baseUrl.replace(/\/$/, "") + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    const headers: Record<string, string> = { ...req.headers, accept: "application/json" };
    const ctx = getRequestContext();
    if (ctx) headers["x-request-id"] = ctx.requestId;
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (req.body !== undefined) headers["content-type"] = "application/json";

    let response: Response;
    try {
      response = await fetch(url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(req.timeoutMs ?? this.opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      ctx?.logger.warn({ err, service: this.opts.name, path: req.path }, "service call failed");
      throw this.unavailable();
    }
    const text = await response.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (response.status >= 500) {
      ctx?.logger.warn(
        { service: this.opts.name, status: response.status, path: req.path },
        "service answered 5xx",
      );
      throw this.unavailable();
    }
    if (!response.ok) {
      const detail =
        json && typeof json === "object" && "detail" in json ? (json as { detail: unknown }).detail : text;
      return { ok: false, status: response.status, detail };
    }
    const parsed = req.response.safeParse(json);
    if (!parsed.success) {
      ctx?.logger.error(
        { service: this.opts.name, path: req.path, issues: parsed.error.issues },
        "unexpected response",
      );
      throw new HttpError(502, `${this.opts.name} service returned an unexpected response`);
    }
    return { ok: true, status: response.status, data: parsed.data };
  }

  private unavailable() {
    return new HttpError(503, `${capitalise(this.opts.name)} service unavailable`);
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
