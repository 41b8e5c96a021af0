import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Request, RequestHandler } from "express";

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
  /** Counts a finished request and its time (the kit's request start calls it; `middleware` does it alone). */
  record: (req: Request, statusCode: number, seconds: number) => void;
}

/** On a route object: its full path template (mount path included), as the metrics label it. */
export const ROUTE_TEMPLATE = Symbol("route template");

interface Child {
  labels: { method: string; route: string; status: string };
  /** Requests counted since the last scrape. */
  pending: number;
  observe: (seconds: number) => void;
}

/** Request counts and latency by route template (not raw URL, which would explode cardinality). */
export function createHttpMetrics(service: string, registry: Registry = new Registry()): HttpMetrics {
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  // Per-request work is an increment on the request's own labelled child, found without building strings: the
  // count is handed to prom-client when Prometheus scrapes (`collect`), the duration is observed at once.
  const children = new Map<string, Child>();
  // Registered with the registry; counts arrive through `collect` only.
  new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
    collect() {
      for (const c of children.values())
        if (c.pending > 0) {
          this.inc(c.labels, c.pending);
          c.pending = 0;
        }
    },
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const child = (method: string, route: string, statusCode: number): Child => {
    const key = `${method} ${statusCode} ${route}`;
    let c = children.get(key);
    if (!c) {
      const labels = { method, route, status: String(statusCode) };
      const histogram = duration.labels(labels);
      c = { labels, pending: 0, observe: (s) => histogram.observe(s) };
      children.set(key, c);
    }
    return c;
  };
  // The children of each matched route (express's route object, or the kit's direct-dispatch one), by method and
  // status. The template is the mount path + the route's path; an error answered after the router left the mount
  // has lost `req.baseUrl`, so a direct-dispatch route carries the template it was matched with (ROUTE_TEMPLATE).
  const byRoute = new WeakMap<object, { template: string; byMethod: Map<string, Map<number, Child>> }>();
  const record = (req: Request, statusCode: number, seconds: number) => {
    const route = req.route as { path?: unknown; [ROUTE_TEMPLATE]?: string } | undefined;
    let c: Child;
    if (route && typeof route.path === "string") {
      const template = route[ROUTE_TEMPLATE] ?? `${req.baseUrl}${route.path}`;
      let entry = byRoute.get(route);
      if (!entry || entry.template !== template) {
        entry = { template, byMethod: new Map() };
        byRoute.set(route, entry);
      }
      let byStatus = entry.byMethod.get(req.method);
      if (!byStatus) entry.byMethod.set(req.method, (byStatus = new Map()));
      let found = byStatus.get(statusCode);
      if (!found) byStatus.set(statusCode, (found = child(req.method, template, statusCode)));
      c = found;
    } else c = child(req.method, "unmatched", statusCode);
    c.pending += 1;
    c.observe(seconds);
  };
  const middleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    res.once("finish", () => record(req, res.statusCode, (performance.now() - start) / 1000));
    next();
  };
  return { registry, middleware, record };
}
