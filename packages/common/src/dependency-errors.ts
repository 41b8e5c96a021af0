/**
 * Recognises failures of the service's dependencies (Postgres, Redis, Chroma) among unhandled errors, so the
 * central error renderer answers 503 `{"detail": "<dependency> unavailable"}` instead of 500, in every service
 * alike. Calls to other services already fail as 503 "<Name> service unavailable" in ServiceClient.
 */

/** Prisma's codes for "cannot reach / lost / timed out waiting for" the database. */
const PRISMA_DATABASE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
/** Driver adapter error kinds meaning the same. */
const ADAPTER_DATABASE_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "SocketTimeout",
  "ConnectionClosed",
  "TooManyConnections",
  "TlsConnectionError",
]);
/**
 * SQLSTATEs of an unavailable server: class 08 (connection exception), 53 (insufficient resources), 57P01-57P03
 * (admin/crash shutdown, cannot connect now), 57014 (statement_timeout), 55P03 (lock_timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53)|^57P0[1-3]$|^57014$|^55P03$/;
/** Messages of pg / pg-pool when the connection is gone or never came. */
const PG_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|Timed out fetching a new connection|Unable to start a transaction in the given time|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/** Node's socket error codes (a pg connection that could not be made or broke). */
const SOCKET_ERROR = /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)$/;

/** ioredis client-side failures (down, offline queue disabled, retries or command timeout exhausted). */
const REDIS_MESSAGES =
  /Connection is closed\.|Stream isn't writeable|enableOfflineQueue|Reached the max retries per request|Command timed out|^(LOADING|NOAUTH|WRONGPASS|MISCONF|READONLY|MASTERDOWN)\b/;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

/** The error and everything it wraps (cause chains, Prisma's driverAdapterError), bounded. */
function chain(err: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.length < 10) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.includes(e as ErrorLike)) continue;
    const el = e as ErrorLike;
    seen.push(el);
    queue.push(el.cause, el.meta?.driverAdapterError);
  }
  return seen;
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** "Database", "Redis", "Chroma", or null when the error is not a dependency failure. */
export function unavailableDependency(err: unknown): string | null {
  const errors = chain(err);
  const pgQuery = errors.some((e) => str(e.name) === "PgQueryError");
  const prisma = errors.some(
    (e) => str(e.name).startsWith("PrismaClient") || str(e.name) === "DriverAdapterError",
  );
  for (const e of errors) {
    const name = str(e.name);
    const message = str(e.message);
    if (name === "PrismaClientInitializationError") return "Database";
    // A socket failure under a prepared query (ECONNREFUSED, ECONNRESET...): Prisma's adapter says DatabaseNotReachable.
    if (pgQuery && SOCKET_ERROR.test(str(e.code))) return "Database";
    if (prisma && PRISMA_DATABASE_CODES.has(str(e.code))) return "Database";
    if (ADAPTER_DATABASE_KINDS.has(str(e.kind))) return "Database";
    const sqlstate = str(e.originalCode) || (name === "DatabaseError" ? str(e.code) : "");
    if (sqlstate && UNAVAILABLE_SQLSTATE.test(sqlstate)) return "Database";
    if ((prisma || name === "DatabaseError") && PG_MESSAGES.test(message)) return "Database";
    if (name === "MaxRetriesPerRequestError" || REDIS_MESSAGES.test(message)) return "Redis";
    if (/^Chroma(Connection|Server|Unavailable)Error$/.test(name)) return "Chroma";
  }
  // pg errors thrown before Prisma wraps them (e.g. pool connect timeouts) carry no class of their own.
  if (errors.some((e) => PG_MESSAGES.test(str(e.message)))) return "Database";
  return null;
}
