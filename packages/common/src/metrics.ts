import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Request, RequestHandler } from "express";

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
  /** Counts a finished request and its time (the kit's request start calls it; `middleware` does it alone). */
  record: (req: Request, statusCode: number, seconds: number) => void;
}

/** Request counts and latency by route template (not raw URL, which would explode cardinality). */
export function createHttpMetrics(service: string, registry: Registry = new Registry()): HttpMetrics {
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method, route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // One labelled child per (method, route, status), so a request does not hash its label set twice.
  const children = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  const child = (method: string, route: string, status: string) => {
    const key = `${method} ${status} ${route}`;
    let c = children.get(key);
    if (!c) {
      const labels = { method, route, status };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      c = { count: () => counter.inc(), observe: (s) => histogram.observe(s) };
      children.set(key, c);
    }
    return c;
  };
  const record = (req: Request, statusCode: number, seconds: number) => {
    const routePath = req.route?.path as string | undefined;
    const route = routePath ? `${req.baseUrl}${routePath}` : "unmatched";
    const c = child(req.method, route, String(statusCode));
    c.count();
    c.observe(seconds);
  };
  const middleware: RequestHandler = (req, res, next) => {
    const start = performance.now();
    res.once("finish", () => record(req, res.statusCode, (performance.now() - start) / 1000));
    next();
  };
  return { registry, middleware, record };
}
