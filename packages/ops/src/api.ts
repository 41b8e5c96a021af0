/** The public APIs through nginx: JSON in and out, errors as ApiError carrying the server's `detail`. */

/** A failed call: the HTTP status and the server's `detail` (a string, or pydantic-style list for 422). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: unknown,
    readonly what: string,
  ) {
    super(`${what}: ${status} ${formatDetail(detail)}`);
  }
}

/** A usage or local problem (bad file, missing credentials): printed without an HTTP status. */
export class OpsError extends Error {}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

export const isValidationList = (detail: unknown): detail is ValidationIssue[] =>
  Array.isArray(detail) && detail.every((d) => d && typeof d === "object" && Array.isArray(d.loc));

export function formatDetail(detail: unknown): string {
  if (typeof detail === "string") return detail;
  if (isValidationList(detail)) return detail.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; ");
  return JSON.stringify(detail);
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** false for the public login routes; otherwise the engineer token is sent. */
  auth?: boolean | string;
  /** Extra request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
  /** Raw request body (already serialised), e.g. a progress-reporting stream. */
  raw?: { body: ReadableStream<Uint8Array> | string; length: number };
}

export class Api {
  /**
   * @param publicUrl nginx's URL, e.g. http://localhost:8080
   * @param engineerToken supplies the engineer token on first use (login prompted or from the environment)
   */
  constructor(
    readonly publicUrl: string,
    private readonly engineerToken: () => Promise<string>,
    /** Retries of a call answered 502/503/504 (a service restarting), 1 s apart; the CLI reports at once. */
    private readonly retryUnavailable = 0,
  ) {}

  base(path: string): string {
    return `${this.publicUrl}/base_api/v1${path}`;
  }
  store(path: string): string {
    return `${this.publicUrl}/store_api/v1${path}`;
  }

  async request<T>(method: string, url: string, what: string, opts: RequestOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<T>(method, url, what, opts);
      } catch (err) {
        const unavailable = err instanceof ApiError && [502, 503, 504].includes(err.status);
        if (!unavailable || attempt >= this.retryUnavailable || opts.raw) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async requestOnce<T>(method: string, url: string, what: string, opts: RequestOptions): Promise<T> {
    const u = new URL(url);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) u.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
    const token =
      typeof opts.auth === "string"
        ? opts.auth
        : opts.auth === false
          ? undefined
          : await this.engineerToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: ReadableStream<Uint8Array> | string | undefined;
    if (opts.raw) {
      body = opts.raw.body;
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = String(opts.raw.length);
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["Content-Type"] = "application/json";
    }
    let res: Response;
    try {
      res = await fetch(u, { method, headers, body, ...(opts.raw ? { duplex: "half" } : {}) } as RequestInit);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new OpsError(
        `${what}: cannot reach ${this.publicUrl} (${cause}); is the stack up? (scripts/stack up)`,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    if (!res.ok) {
      const detail =
        json && typeof json === "object" && "detail" in json ? (json as { detail: unknown }).detail : json;
      throw new ApiError(res.status, detail ?? res.statusText, what);
    }
    return json as T;
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

/** Every item of a paginated list (page size 100). */
export async function allPages<T>(fetchPage: (page: number) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const p = await fetchPage(page);
    out.push(...p.items);
    if (page >= p.pages || p.items.length === 0) return out;
  }
}
