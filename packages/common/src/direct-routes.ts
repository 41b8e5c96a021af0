import FindMyWay from "find-my-way";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ROUTE_TEMPLATE } from "./metrics.js";
import type { RouteEntry } from "./router.js";

type Segment = { literal: string } | { param: true };

/** `/robot/user/:user_id` as segments; null for any other syntax (wildcards, optional parts, `a-:b`, `/x/`). */
function segmentsOf(path: string): Segment[] | null {
  const parts = path.split("/");
  if (parts[0] !== "" || parts.length < 2) return null;
  const out: Segment[] = [];
  for (const part of parts.slice(1)) {
    if (/^:[A-Za-z_$][\w$]*$/.test(part)) out.push({ param: true });
    else if (/^[\w.~-]+$/.test(part)) out.push({ literal: part });
    else return null;
  }
  return out;
}

/** Whether some request path matches both (null: a syntax not understood here, assumed to match anything). */
function overlap(a: Segment[] | null, b: Segment[] | null): boolean {
  if (!a || !b) return true;
  if (a.length !== b.length) return false;
  return a.every((s, i) => {
    const t = b[i]!;
    return "param" in s || "param" in t || s.literal === t.literal;
  });
}

/**
 * The API routes dispatched straight from a radix tree (find-my-way) instead of express trying the routers' layers
 * one by one: base has ~90 routes in ~20 feature routers, and a robot's ticket check was matched against most of
 * them on every request (see docs/benchmarks.md). Mounted right before the
 * API router, it must choose exactly the route express would: a route is taken here only when no route express
 * tries earlier could match the same path with the same method; everything else (HEAD, OPTIONS, percent-encoded
 * paths, routes behind an overlapping earlier one) falls through to express unchanged. Undefined when the routes'
 * order is not known (something was added to an ApiRouter's express router directly).
 */
export function directRoutes(routes: RouteEntry[] | null): RequestHandler | undefined {
  if (!routes) return undefined;
  const tree = FindMyWay({ caseSensitive: true, ignoreTrailingSlash: true });
  const earlier: { method: string; segments: Segment[] | null }[] = [];
  let count = 0;
  for (const route of routes) {
    const method = route.method.toUpperCase();
    const segments = segmentsOf(route.path);
    const shadowed = earlier.some((e) => e.method === method && overlap(e.segments, segments));
    earlier.push({ method, segments });
    if (shadowed || !segments) continue;
    // What express sets for the route's handlers: the metrics label reads `req.route.path`.
    const store = {
      handlers: route.handlers,
      route: { path: route.path, methods: { [route.method]: true } },
    };
    tree.on(method as FindMyWay.HTTPMethod, route.path, () => {}, store);
    count++;
  }
  if (count === 0) return undefined;
  return (req, res, next) => {
    const path = req.path;
    // Express matches literal segments on the encoded path (find-my-way would decode them first) and takes `;` as
    // part of a segment (find-my-way as the start of parameters).
    if (path.includes("%") || path.includes(";")) return next();
    const found = tree.find(req.method as FindMyWay.HTTPMethod, path);
    if (!found) return next();
    const store = found.store as {
      handlers: RequestHandler[];
      route: { path: string; [ROUTE_TEMPLATE]?: string };
    };
    store.route[ROUTE_TEMPLATE] ??= req.baseUrl + store.route.path;
    req.params = { ...found.params } as Request["params"];
    (req as { route?: unknown }).route = store.route;
    runHandlers(store.handlers, req, res, next);
  };
}

/** Runs a route's handlers as express does: `next(err)` and thrown or rejected errors leave for the error handler. */
function runHandlers(handlers: RequestHandler[], req: Request, res: Response, done: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    if (err !== undefined && err !== null && err !== "route") return done(err);
    const handler = handlers[i++];
    if (!handler || err === "route") return done();
    try {
      const ret = handler(req, res, step) as unknown;
      if (ret instanceof Promise)
        ret.then(undefined, (e: unknown) => step(e ?? new Error("Rejected promise")));
    } catch (e) {
      step(e);
    }
  };
  step();
}
