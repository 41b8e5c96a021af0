import type { RequestHandler } from "express";
import type { Logger } from "pino";
import type { AuthGuard, OpenApiOperation, ServicePrincipal } from "@rail/common";
import { ServiceClient } from "@rail/common";
import { z } from "zod";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What the base service's `POST /internal/audit` takes (base: src/audit/audit.schemas.ts). */
export interface AuditReport {
  service: "store";
  actor_kind: "engineer" | "service";
  actor_id: string | null;
  action: string;
  method: string;
  entity: string;
  entity_id: string | null;
  status: number;
  request_id: string | null;
  request: unknown;
  after: unknown;
}

export interface AuditSink {
  report(entry: AuditReport): Promise<void>;
}

/** Sends entries to the base service, which owns the audit log (one log for the whole railway). */
export class BaseAuditSink implements AuditSink {
  private readonly base: ServiceClient;

  constructor(opts: { baseApiUrl: string; serviceToken: string }) {
    this.base = new ServiceClient({
      name: "base",
      baseUrl: opts.baseApiUrl,
      token: opts.serviceToken,
      timeoutMs: 3000,
    });
  }

  async report(entry: AuditReport): Promise<void> {
    const res = await this.base.request({
      method: "POST",
      path: "/internal/audit",
      body: entry,
      response: z.unknown(),
    });
    if (!res.ok) throw new Error(`base answered ${res.status}`);
  }
}

/** "/admin/store/:store_id/items/import" -> "store" (the first part after /admin/, singular). */
const entityOf = (path: string) => {
  const first = path.split("/").filter(Boolean)[1] ?? "admin";
  return first.endsWith("s") && !first.endsWith("ss") ? first.slice(0, -1) : first;
};

/**
 * Every successful admin mutation of the store (engineer or service token on `/admin/*`) is reported to the base
 * service's audit log right after it succeeded: who, the route, the entity and its id, the request and the answer
 * (the base service redacts secrets). Reporting never delays or fails the answer; a failed report is logged.
 */
export function reportAdminActions(opts: {
  sink: AuditSink;
  identify: AuthGuard<ServicePrincipal>;
  operations: OpenApiOperation[];
  prefix: string;
  logger: Logger;
}): RequestHandler {
  const templates = opts.operations
    .filter((op) => op.path.startsWith("/admin/") && MUTATING.has(op.method.toUpperCase()))
    .map((op) => ({
      path: op.path,
      method: op.method.toUpperCase(),
      regex: new RegExp(`^${op.path.replace(/:[^/]+/g, "([^/]+)")}/?$`),
    }));
  return (req, res, next) => {
    if (!MUTATING.has(req.method) || !req.path.startsWith(`${opts.prefix}/admin/`)) return next();
    const path = req.path.slice(opts.prefix.length);
    const template = templates.find((t) => t.method === req.method && t.regex.test(path));
    if (!template) return next();
    const params = template.regex.exec(path)!.slice(1);
    void (async () => {
      let actor: ServicePrincipal;
      try {
        actor = await opts.identify.authenticate(req);
      } catch {
        return next(); // the route refuses it itself: nothing to report
      }
      let answer: unknown = null;
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        answer = body;
        return json(body);
      };
      res.once("finish", () => {
        if (res.statusCode >= 400) return;
        const id =
          params.at(-1) ??
          (answer && typeof answer === "object" && "id" in answer
            ? String((answer as { id: unknown }).id)
            : null);
        opts.sink
          .report({
            service: "store",
            actor_kind: actor.kind === "service" ? "service" : "engineer",
            actor_id: actor.kind === "service" ? null : actor.subject,
            action: `${req.method} ${template.path}`,
            method: req.method,
            entity: entityOf(template.path),
            entity_id: id ? decodeURIComponentSafe(id) : null,
            status: res.statusCode,
            request_id: req.id ?? null,
            request: req.body && typeof req.body === "object" ? req.body : null,
            after: req.method === "DELETE" ? null : answer,
          })
          .catch((err: unknown) =>
            opts.logger.error(
              { err: (err as Error).message, requestId: req.id, action: `${req.method} ${template.path}` },
              "audit report not delivered",
            ),
          );
      });
      next();
    })().catch(next);
  };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
