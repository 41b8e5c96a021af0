/**
 * The suite's view of the system: its own base, store and face (started by test/global-setup.ts over databases of
 * their own, so nothing the suite writes reaches the development databases), tokens of every kind, stack control.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import { inject } from "vitest";
import { ALL_PRIVILEGES, SessionStore } from "@rail/common";
import { loadStackEnv } from "@rail/common/testing";
import { ROOT } from "./paths.js";

export { ROOT };
/** The development stack's environment (nginx, its services, the shared Postgres/Redis/Chroma servers). */
export const STACK_ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
export const ENTRY = `http://127.0.0.1:${STACK_ENV.RAIL_HTTP_PORT ?? "8080"}`;

const instances = inject("instances");
/** The environment of the suite's own services: their databases, Redis database, Chroma collection, URLs. */
export const ENV: Record<string, string | undefined> = instances.env;

export const SERVICES = {
  base: { url: instances.urls.base },
  store: { url: instances.urls.store },
  face: { url: instances.urls.face },
} as const;
export type ServiceName = keyof typeof SERVICES;

/**
 * The client address every request of the suite claims (services trust X-Forwarded-For only from nginx's hop,
 * loopback): the suite's failed logins must not count against 127.0.0.1, which the other test suites use.
 */
export const SUITE_ADDRESS = "192.0.2.250";

export type TokenKind = "robot" | "store" | "engineer" | "engineer-no-privileges" | "service" | "garbage";

export interface Tokens {
  byKind: Record<TokenKind, string>;
  /** Another session, e.g. the terminal of a given store. */
  session: (kind: "robot" | "store", subject: string) => Promise<string>;
  close: () => Promise<void>;
}

/**
 * Sessions of every kind, written to Redis as the base service writes them (SessionStore is the contract): by
 * default in the suite's own Redis database, which its services read.
 */
export async function createTokens(redisUrl = ENV.REDIS_URL!): Promise<Tokens> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  redis.on("error", () => {}); // the Redis scenario stops it on purpose; this client just reconnects
  const sessions = new SessionStore(redis, 3600);
  const byKind: Record<TokenKind, string> = {
    robot: await sessions.create("robot", randomUUID()),
    store: await sessions.create("store", randomUUID()),
    engineer: await sessions.create("engineer", randomUUID(), { privileges: ALL_PRIVILEGES }),
    "engineer-no-privileges": await sessions.create("engineer", randomUUID(), { privileges: 0 }),
    service: ENV.INTERNAL_SERVICE_TOKEN!,
    garbage: randomUUID(),
  };
  const created: [string, string][] = Object.entries(byKind).filter(([kind]) =>
    ["robot", "store", "engineer", "engineer-no-privileges"].includes(kind),
  );
  return {
    byKind,
    session: async (kind, subject) => {
      const token = await sessions.create(kind, subject);
      created.push([kind, token]);
      return token;
    },
    // Sessions expire by themselves; revoked anyway so the suite leaves nothing behind.
    close: async () => {
      for (const [kind, token] of created)
        await sessions
          .revoke((kind === "engineer-no-privileges" ? "engineer" : kind) as "robot", token)
          .catch(() => {});
      redis.disconnect();
    },
  };
}

export interface Operation {
  method: string;
  path: string;
  security: string[];
  pathParams: Record<string, string>;
  hasBody: boolean;
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        security?: Record<string, string[]>[];
        parameters?: { in: string; name: string; schema?: { type?: string } }[];
        requestBody?: unknown;
      }
    >
  >;
}

/** Every operation of a service's OpenAPI document, with the security schemes it accepts. */
export async function operations(service: ServiceName): Promise<Operation[]> {
  const doc = (await (await fetch(`${SERVICES[service].url}/openapi.json`)).json()) as OpenApiDoc;
  const ops: Operation[] = [];
  for (const [p, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const pathParams: Record<string, string> = {};
      for (const param of op.parameters ?? [])
        if (param.in === "path")
          pathParams[param.name] =
            param.schema?.type === "integer" ? "1" : "00000000-0000-4000-8000-000000000000";
      ops.push({
        method: method.toUpperCase(),
        path: p,
        security: (op.security ?? []).flatMap((s) => Object.keys(s)),
        pathParams,
        hasBody: op.requestBody !== undefined,
      });
    }
  }
  return ops;
}

export const concretePath = (op: Operation) =>
  op.path.replace(/\{([^}]+)\}/g, (_, name: string) => op.pathParams[name] ?? "x");

export interface CallOptions {
  token?: string;
  body?: unknown;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** A request to one of the suite's services (by name), as the suite's client address. */
export const call = (service: ServiceName, method: string, p: string, opts: CallOptions = {}) =>
  callUrl(SERVICES[service].url + p, method, opts);

/** A request to any service URL, as the suite's client address; JSON (or text) body. */
export async function callUrl(url: string, method: string, opts: CallOptions = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...opts.headers,
      "x-forwarded-for": SUITE_ADDRESS,
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body: body as Record<string, unknown> };
}

/** Runs a command without blocking the test worker; resolves with its exit status and output. */
export function runAsync(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, output }));
  });
}

/** `scripts/stack <args>` (stop/start a part); throws with its output when it fails. */
export async function stack(...args: string[]): Promise<void> {
  const r = await runAsync(path.join(ROOT, "scripts", "stack"), args);
  if (r.status !== 0) throw new Error(`scripts/stack ${args.join(" ")}: ${r.output}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `probe` is true; returns how long it took, or throws after `timeoutMs`. */
export async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return Date.now() - started;
    await sleep(200);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}
