import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestHandler } from "express";

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
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
  const middleware: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const routePath = req.route?.path as string | undefined;
      const route = routePath ? `${req.baseUrl}${routePath}` : "unmatched";
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
  return { registry, middleware };
}
