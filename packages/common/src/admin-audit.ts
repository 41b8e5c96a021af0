import type { Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import type { ServicePrincipal } from "./auth.js";
import { unavailableDependency } from "./dependency-errors.js";
import { serviceUnavailable } from "./errors.js";
import type { OpenApiOperation } from "./openapi.js";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** An admin action as known before it runs. */
export interface AdminAction {
  actorKind: "engineer" | "service";
  /** The engineer's id (null for the service token). */
  actorId: string | null;
  /** Method and route template, e.g. "PUT /admin/trains/:train_number". */
  action: string;
  method: string;
  /** e.g. "train": the first part after /admin/, singular. */
  entity: string;
  /** The first path parameter (null for a create: then taken from the answer). */
  entityId: string | null;
  requestId: string | null;
  /** The parsed request body (the journal redacts secrets). */
  request: unknown;
  /** The entity as the route's admin GET counterpart showed it just before (null when there is none). */
  before: unknown;
}

/** How the action answered. */
export interface AdminActionOutcome {
  status: number;
  entityId: string | null;
  /** The admin GET counterpart's view after the change, else the answer; null after a delete. */
  after: unknown;
}

/**
 * Where admin actions are written. `begin` must be durable before it resolves: it is what guarantees that no
 * change happens without a trace, even when the process stops right after the change. The journal turns a begun
 * action into its audit entry on `complete`, forgets it on `discard` (the action was refused or failed), and is
 * expected to turn actions that were begun but never completed (a stopped process) into entries of unknown outcome.
 */
export interface AdminActionJournal {
  begin(action: AdminAction): Promise<string>;
  complete(id: string, action: AdminAction, outcome: AdminActionOutcome): Promise<void>;
  discard(id: string): Promise<void>;
}

interface Template {
  path: string;
  method: string;
  regex: RegExp;
}

function compile(op: OpenApiOperation): Template {
  const source = op.path
    .split("/")
    .map((part) => (part.startsWith(":") ? "([^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return { path: op.path, method: op.method.toUpperCase(), regex: new RegExp(`^${source}/?$`) };
}

/** "/admin/trains/:train_number" -> "train": the first part after /admin/, singular. */
export function entityOf(path: string): string {
  const first = path.split("/").filter(Boolean)[1] ?? "admin";
  return first.endsWith("s") && !first.endsWith("ss") ? first.slice(0, -1) : first;
}

/** The created entity's id from the answer (`id`, else `number`; several for a list), for creates. */
export function idOf(answer: unknown): string | null {
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

/**
 * A value as the journal may store it: Postgres JSON cannot hold NUL characters, and the kit refuses them in
 * body values but not in the names of fields the routes ignore, so they are replaced (U+FFFD) in both.
 */
export function storable(value: unknown, depth = 0): unknown {
  const clean = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "\uFFFD") : s);
  if (typeof value === "string") return clean(value);
  if (value === null || typeof value !== "object" || depth > 40) return value;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [clean(k), storable(v, depth + 1)]),
  );
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface AdminAuditOptions {
  journal: AdminActionJournal;
  /** Every route of the API (paths relative to `prefix`). */
  operations: OpenApiOperation[];
  prefix: string;
  logger: Logger;
}

/**
 * The one admin-audit hook of the kit, shared by every service with `/admin/*` routes. It runs in the route
 * pipeline (pass it to createServiceApp's `bodyChecks`), i.e. after the route authenticated the caller and the
 * body was parsed, right before the handler:
 *
 * 1. the entity "before" is read from the route's admin GET counterpart (same path and credentials, on the
 *    service's own socket), so entries look exactly like what the console shows, with no per-feature code;
 * 2. `journal.begin` durably records the action; if it cannot, the action does not run (503 "Audit log
 *    unavailable"): no admin change without its entry;
 * 3. the answer is held until the outcome is written: `complete` with the "after" view for a success,
 *    `discard` for a refused or failed request (it changed nothing). If that write fails the answer still goes
 *    out (the change is made) and the begun action becomes an entry of unknown outcome later (the journal's
 *    recovery), never a lost one.
 */
export function auditAdminMutations(opts: AdminAuditOptions): RequestHandler {
  const templates = opts.operations.filter((op) => op.path.startsWith("/admin/")).map(compile);
  const mutations = templates.filter((t) => MUTATING.has(t.method));
  const readable = new Set(templates.filter((t) => t.method === "GET").map((t) => t.path));
  /**
   * How many leading path segments name what the action changes, as an admin GET shows it: the route itself
   * ("PUT /admin/trains/:n" -> GET /admin/trains/:n), else its nearest readable parent
   * ("POST /admin/store/:id/items/import" -> GET /admin/store/:id). Null when nothing is readable.
   */
  const viewDepth = (path: string): number | null => {
    const parts = path.split("/");
    for (let n = parts.length; n > 2; n--) if (readable.has(parts.slice(0, n).join("/"))) return n;
    return null;
  };

  return (req, res, next) => {
    // Inside the router `req.path` lost its mount path: match the full one.
    const fullPath = req.originalUrl.split("?")[0]!;
    if (!MUTATING.has(req.method) || !fullPath.startsWith(`${opts.prefix}/admin/`)) return next();
    const path = fullPath.slice(opts.prefix.length);
    const template = mutations.find((t) => t.method === req.method && t.regex.test(path));
    const actor = res.locals.auth as ServicePrincipal | undefined;
    if (!template || !actor || (actor.kind !== "service" && actor.kind !== "engineer")) return next();
    const match = template.regex.exec(path)!;
    const action: AdminAction = {
      actorKind: actor.kind === "service" ? "service" : "engineer",
      actorId: actor.kind === "service" ? null : actor.subject,
      action: `${req.method} ${template.path}`,
      method: req.method,
      entity: entityOf(template.path),
      entityId: match[1] ? safeDecode(match[1]) : null,
      requestId: req.id ?? null,
      request: req.body && typeof req.body === "object" ? storable(req.body) : null,
      before: null,
    };
    const depth = viewDepth(template.path);
    const ownView = depth === template.path.split("/").length;
    // A POST to a readable path of its own creates (the GET is a list): there is no "before" of it.
    const snapshotUrl =
      depth === null || (ownView && req.method === "POST")
        ? null
        : opts.prefix + path.split("/").slice(0, depth).join("/");
    void (async () => {
      if (snapshotUrl) action.before = await snapshot(req, snapshotUrl);
      let id: string;
      try {
        id = await opts.journal.begin(action);
      } catch (err) {
        opts.logger.error(
          { err: (err as Error).message, requestId: req.id, action: action.action },
          "audit entry could not be begun: admin action refused",
        );
        // The database being down is said as for any other route ("Database unavailable").
        return next(unavailableDependency(err) ? err : serviceUnavailable("Audit log unavailable"));
      }
      holdAnswer(res, async (status, body) => {
        try {
          if (status >= 400) return await opts.journal.discard(id);
          // Multipart routes parse their body after this hook: take what they parsed.
          if (action.request === null && req.body && typeof req.body === "object")
            action.request = storable(req.body);
          const answer = storable(parseJson(body));
          // After a delete of the viewed entity itself there is nothing to show.
          const after =
            req.method === "DELETE" && ownView
              ? null
              : snapshotUrl
                ? ((await snapshot(req, snapshotUrl)) ?? answer)
                : answer;
          await opts.journal.complete(id, action, {
            status,
            entityId: action.entityId ?? idOf(answer),
            after,
          });
        } catch (err) {
          opts.logger.error(
            { err: (err as Error).message, requestId: req.id, action: action.action, auditId: id },
            "audit outcome not written: recovery will record it",
          );
        }
      });
      next();
    })().catch(next);
  };
}

/**
 * Holds the response until `settle` has run: every answer (JSON, empty, or the error handler's) ends with
 * `res.end`, so that is where it waits. Headers are not sent before, so nothing reaches the client early.
 */
function holdAnswer(res: Response, settle: (status: number, body: unknown) => Promise<void>): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let held = false;
  res.end = ((...args: unknown[]) => {
    if (held) return end(...args);
    held = true;
    const chunk = typeof args[0] === "function" ? undefined : args[0];
    void settle(res.statusCode, chunk).finally(() => end(...args));
    return res;
  }) as Response["end"];
}

function parseJson(chunk: unknown): unknown {
  if (chunk === undefined || chunk === null) return null;
  const text = Buffer.isBuffer(chunk) ? chunk.toString("utf8") : typeof chunk === "string" ? chunk : null;
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
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
