import type { Request, RequestHandler } from "express";
import type { Logger } from "pino";
import type { AuthGuard, OpenApiOperation, ServicePrincipal } from "@rail/common";
import type { AuditService } from "./audit.service.js";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface Template {
  path: string;
  method: string;
  regex: RegExp;
  params: string[];
}

function compile(op: OpenApiOperation): Template {
  const params: string[] = [];
  const source = op.path
    .split("/")
    .map((part) => {
      if (part.startsWith(":")) {
        params.push(part.slice(1));
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { path: op.path, method: op.method.toUpperCase(), regex: new RegExp(`^${source}/?$`), params };
}

/** "/admin/trains/:train_number" -> "train": the first part after /admin/, singular. */
export function entityOf(path: string): string {
  const first = path.split("/").filter(Boolean)[1] ?? "admin";
  return first.endsWith("s") && !first.endsWith("ss") ? first.slice(0, -1) : first;
}

export interface AuditHookOptions {
  audit: Pick<AuditService, "record">;
  /** Who is calling: an ADMIN engineer or the service token (anything else is refused by the route itself). */
  identify: AuthGuard<ServicePrincipal>;
  /** Every route of the API (paths relative to `prefix`). */
  operations: OpenApiOperation[];
  prefix: string;
  logger: Logger;
}

/**
 * The one place admin actions are audited: every successful POST/PUT/PATCH/DELETE under `/admin/` is written to
 * the audit log right after it succeeded (who, the route, the entity and its id, the request, before and after).
 * "Before" and "after" are the entity as the route's own admin GET counterpart shows it (same path, same
 * credentials, asked on the service's own socket just before and just after the change), so they look exactly like
 * what the console displays, with no per-feature code; a route without a GET counterpart logs the answer as
 * "after". Secrets are redacted by AuditService. Failed requests (4xx/5xx) changed nothing and are not logged.
 * A failure to write the log is logged as an error, never turned into a failed answer after the change is made.
 */
export function auditAdminActions(opts: AuditHookOptions): RequestHandler {
  const templates = opts.operations.filter((op) => op.path.startsWith("/admin/")).map(compile);
  const mutations = templates.filter((t) => MUTATING.has(t.method));
  const readable = new Set(templates.filter((t) => t.method === "GET").map((t) => t.path));

  return (req, res, next) => {
    if (!MUTATING.has(req.method) || !req.path.startsWith(`${opts.prefix}/admin/`)) return next();
    const path = req.path.slice(opts.prefix.length);
    const template = mutations.find((t) => t.method === req.method && t.regex.test(path));
    if (!template) return next();
    const match = template.regex.exec(path)!;
    const firstParam = match[1] ? safeDecode(match[1]) : null;

    void (async () => {
      let actor: ServicePrincipal;
      try {
        actor = await opts.identify.authenticate(req);
      } catch {
        return next(); // the route answers 401/403 itself; nothing to log
      }
      const snapshotUrl = readable.has(template.path) ? req.originalUrl.split("?")[0]! : null;
      const before = snapshotUrl && req.method !== "POST" ? await snapshot(req, snapshotUrl) : null;
      let answer: unknown = null;
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        answer = body;
        return json(body);
      };
      res.once("finish", () => {
        if (res.statusCode >= 400) return;
        void (async () => {
          const after =
            req.method === "DELETE"
              ? null
              : snapshotUrl && firstParam
                ? ((await snapshot(req, snapshotUrl)) ?? answer)
                : answer;
          await opts.audit.record({
            actorKind: actor.kind === "service" ? "service" : "engineer",
            actorId: actor.kind === "service" ? null : actor.subject,
            action: `${req.method} ${template.path}`,
            method: req.method,
            entity: entityOf(template.path),
            entityId: firstParam ?? idOf(answer),
            status: res.statusCode,
            requestId: req.id ?? null,
            request: req.body && typeof req.body === "object" ? req.body : null,
            before,
            after,
          });
        })().catch((err: unknown) =>
          opts.logger.error(
            { err: (err as Error).message, requestId: req.id, action: `${req.method} ${template.path}` },
            "audit entry not written",
          ),
        );
      });
      next();
    })().catch(next);
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The created entity's id from the answer (`id`, else `number`), for POST routes without a path parameter. */
function idOf(answer: unknown): string | null {
  const pick = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
  if (Array.isArray(answer)) {
    const ids = answer.map((a) => idOf(a)).filter((x): x is string => x !== null);
    return ids.length > 0 ? ids.join(",") : null;
  }
  if (answer && typeof answer === "object") {
    const o = answer as Record<string, unknown>;
    return pick(o.id) ?? pick(o.number) ?? null;
  }
  return null;
}

/** GET of the same admin path on this very server with the caller's credentials; null unless 200 JSON. */
async function snapshot(req: Request, path: string): Promise<unknown> {
  const socket = req.socket;
  const host = socket.localAddress?.includes(":") ? `[${socket.localAddress}]` : socket.localAddress;
  if (!host || !socket.localPort) return null;
  try {
    const res = await fetch(`http://${host}:${socket.localPort}${path}`, {
      headers: {
        Authorization: req.headers.authorization ?? "",
        "X-Request-Id": `${req.id}-audit`.slice(0, 128),
      },
      signal: AbortSignal.timeout(5_000),
    });
    if (res.status !== 200) return null;
    return await res.json();
  } catch {
    return null;
  }
}
