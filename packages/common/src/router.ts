import { Router, type Request, type Response, type NextFunction, type RequestHandler } from "express";
import type { z } from "zod";
import type { HttpMethod, OpenApiOperation } from "./openapi.js";
import { jsonBody } from "./json-body.js";
import { assertBodyDepth, parseRequestPart } from "./validation.js";

/** `app.locals` key of the body parser and checks createServiceApp sets up for its routes. */
export const BODY_PIPELINE = "railBodyPipeline";
const DEFAULT_BODY_PIPELINE: RequestHandler[] = [jsonBody("1mb")];

/** Parses the body with the app's pipeline: runs only after the route's authentication passed. */
function parseBody(req: Request, res: Response, next: NextFunction): void {
  const pipeline = (req.app.locals[BODY_PIPELINE] as RequestHandler[] | undefined) ?? DEFAULT_BODY_PIPELINE;
  let i = 0;
  const step = (err?: unknown): void => {
    if (err) return next(err);
    const handler = pipeline[i++];
    if (!handler) return next();
    try {
      void handler(req, res, step);
    } catch (e) {
      next(e);
    }
  };
  step();
}

/**
 * `res.status(status).json(body)` without express's detours (its JSON settings, ETag and freshness checks, which
 * the kit does not use): the answer's bytes and headers are the same. `json` is the serialised body.
 */
export function sendJson(req: Request, res: Response, status: number, json: string): void {
  res.statusCode = status;
  if (!res.hasHeader("Content-Type")) res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(json));
  res.end(req.method === "HEAD" ? undefined : json);
}

/** Something that authenticates a request and yields who is calling (or throws 401/403). */
export interface AuthGuard<T> {
  /** Name of the OpenAPI security scheme this guard implements. */
  scheme: string;
  authenticate(req: Request): Promise<T>;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

export interface RouteContext<B, Q, P, A> {
  body: B;
  query: Q;
  params: P;
  auth: A;
  req: Request;
  res: Response;
}

export interface RouteDefinition<
  B extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  P extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
  A,
> {
  method: HttpMethod;
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  auth?: AuthGuard<A>;
  body?: B;
  /** Body parsed by a route-specific middleware (e.g. multipart); documented with this content type. */
  bodyContentType?: string;
  middleware?: ((req: Request, res: Response, next: NextFunction) => void)[];
  /** A handler that writes bytes itself (no `response` schema): the media types it answers, for the docs. */
  binaryResponse?: string[];
  query?: Q;
  params?: P;
  response?: R;
  status?: number;
  errors?: Record<number, string>;
  handler: (
    ctx: RouteContext<Infer<B>, Infer<Q>, Infer<P>, A>,
  ) => Promise<R extends z.ZodType ? z.input<R> : unknown>;
}

/**
 * An express router whose routes are declared once with their zod schemas: the same declaration validates
 * requests (auth first, then path, query, body, as the reference system did) and feeds the OpenAPI document.
 */
/** A route as `ApiRouter.routes` lists it: what the kit's direct dispatch (direct-routes.ts) needs. */
export interface RouteEntry {
  method: HttpMethod;
  /** Relative to the router, as express matches it (`/robot/user/:user_id`). */
  path: string;
  handlers: RequestHandler[];
}

export class ApiRouter {
  readonly router = Router({ caseSensitive: true });
  readonly operations: OpenApiOperation[] = [];
  /** What `route` and `use` added to `router`, in its order (a child router by reference, read when flattened). */
  private readonly layers: ({ route: RouteEntry } | { path: string; child: ApiRouter })[] = [];

  constructor(private readonly basePath = "") {}

  route<
    B extends z.ZodType | undefined = undefined,
    Q extends z.ZodType | undefined = undefined,
    P extends z.ZodType | undefined = undefined,
    R extends z.ZodType | undefined = undefined,
    A = undefined,
  >(def: RouteDefinition<B, Q, P, R, A>): this {
    this.operations.push({
      method: def.method,
      path: this.basePath + def.path,
      summary: def.summary,
      description: def.description,
      tags: def.tags,
      security: def.auth ? def.auth.scheme.split("|") : undefined,
      body: def.body,
      bodyContentType: def.bodyContentType,
      binaryResponse: def.binaryResponse,
      query: def.query,
      params: def.params,
      response: def.response,
      status: def.status,
      errors: def.errors,
    });
    // Authentication runs before anything reads the body (multipart uploads included).
    const authenticate = async (req: Request, res: Response, next: NextFunction) => {
      res.locals.auth = def.auth ? await def.auth.authenticate(req) : undefined;
      next();
    };
    const handle = async (req: Request, res: Response) => {
      const auth = res.locals.auth as A;
      const params = (def.params ? parseRequestPart(def.params, req.params, "path") : undefined) as Infer<P>;
      const query = (def.query ? parseRequestPart(def.query, req.query, "query") : undefined) as Infer<Q>;
      if (def.body) assertBodyDepth(req.body);
      const body = (def.body ? parseRequestPart(def.body, req.body, "body") : undefined) as Infer<B>;
      const result = await def.handler({ body, query, params, auth, req, res });
      if (res.headersSent) return;
      if (result === undefined) res.status(def.status ?? 204).end();
      else sendJson(req, res, def.status ?? 200, JSON.stringify(result));
    };
    const handlers = [authenticate, parseBody, ...(def.middleware ?? []), handle] as RequestHandler[];
    this.router[def.method](def.path, ...handlers);
    this.layers.push({ route: { method: def.method, path: def.path, handlers } });
    return this;
  }

  /** Mounts another ApiRouter's routes under a sub-path. */
  use(path: string, child: ApiRouter): this {
    this.router.use(path, child.router);
    this.layers.push({ path, child });
    for (const op of child.operations) this.operations.push({ ...op, path: this.basePath + path + op.path });
    return this;
  }

  /**
   * Every route in the order express tries them, with paths relative to this router; null when something was
   * added to `router` (or a child's) directly, as then the order of what express tries is not known here.
   */
  get routes(): RouteEntry[] | null {
    if ((this.router as unknown as { stack: unknown[] }).stack.length !== this.layers.length) return null;
    const out: RouteEntry[] = [];
    for (const layer of this.layers) {
      if ("route" in layer) {
        out.push(layer.route);
        continue;
      }
      const childRoutes = layer.child.routes;
      if (!childRoutes) return null;
      for (const r of childRoutes) out.push({ ...r, path: layer.path + r.path });
    }
    return out;
  }
}
