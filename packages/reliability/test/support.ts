/** The stack as the reliability suite reaches it: each service directly, tokens of every kind, stack control. */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { ALL_PRIVILEGES, SessionStore } from "@rail/common";
import { loadStackEnv } from "@rail/common/testing";

export const ENV: Record<string, string | undefined> = { ...loadStackEnv(), ...process.env };
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const ENTRY = `http://127.0.0.1:${ENV.RAIL_HTTP_PORT ?? "8080"}`;

export const SERVICES = {
  base: { url: ENV.BASE_API_URL ?? "http://127.0.0.1:8001/base_api/v1" },
  store: { url: ENV.STORE_API_URL ?? "http://127.0.0.1:8002/store_api/v1" },
  face: { url: ENV.FACE_API_URL ?? "http://127.0.0.1:8003/face_api/v1" },
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
  close: () => void;
}

/** Sessions of every kind, written to Redis as the base service writes them (SessionStore is the contract). */
export async function createTokens(): Promise<Tokens> {
  const redis = new Redis(ENV.REDIS_URL!, { maxRetriesPerRequest: 1 });
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
  return {
    byKind,
    session: (kind, subject) => sessions.create(kind, subject),
    close: () => redis.disconnect(),
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

export async function call(
  service: ServiceName,
  method: string,
  p: string,
  opts: { token?: string; body?: unknown; timeoutMs?: number } = {},
) {
  const res = await fetch(SERVICES[service].url + p, {
    method,
    headers: {
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
