/**
 * Prisma error checks shared by every service's repositories (they translate database failures into outcomes
 * their services understand; services never see Prisma errors). Each service generates its own Prisma client,
 * so the check is on the error's name and code rather than `instanceof` one client's class.
 */

/** A Prisma known request error: `code` is Prisma's (P2002...), `meta` may name the constraint. */
export interface PrismaKnownError extends Error {
  code: string;
  meta?: Record<string, unknown>;
}

export const isPrismaKnownError = (err: unknown, ...codes: string[]): err is PrismaKnownError =>
  err instanceof Error &&
  err.name === "PrismaClientKnownRequestError" &&
  typeof (err as { code?: unknown }).code === "string" &&
  (codes.length === 0 || codes.includes((err as PrismaKnownError).code));

/** A write failed on a unique constraint (Postgres 23505, Prisma P2002). */
export const isUniqueViolation = (err: unknown): err is PrismaKnownError => isPrismaKnownError(err, "P2002");

/** A write referenced a row that is gone (Postgres 23503, Prisma P2003). */
export const isForeignKeyViolation = (err: unknown): err is PrismaKnownError =>
  isPrismaKnownError(err, "P2003");

/** The record to update or delete does not exist (Prisma P2025). */
export const isRecordNotFound = (err: unknown): err is PrismaKnownError => isPrismaKnownError(err, "P2025");

/**
 * The database could not take the work in time: no pooled connection within maxWait (P2024), a transaction that
 * could not start or ran past its timeout (P2028), or a write conflict / deadlock Postgres gave up on (P2034).
 */
export const isContentionFailure = (err: unknown): err is PrismaKnownError =>
  isPrismaKnownError(err, "P2024", "P2028", "P2034");

/** Postgres SQLSTATE codes the repositories act on. */
export const PG_ERROR = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  checkViolation: "23514",
  divisionByZero: "22012",
  deadlockDetected: "40P01",
  serializationFailure: "40001",
} as const;

export interface PostgresErrorInfo {
  /** SQLSTATE, e.g. "23505". */
  code?: string;
  message: string;
  /** The driver adapter's classification, e.g. "DatabaseNotReachable". */
  kind?: string;
}

/**
 * The Postgres error behind a failed Prisma call, as the pg driver adapter reports it in
 * `meta.driverAdapterError.cause`: raw statements (`$queryRaw`, `$executeRaw`) fail as P2010 with only that, so
 * a repository running one reads the SQLSTATE (and the constraint named in the message) here. Undefined when the
 * error carries no driver cause.
 */
export function postgresError(err: unknown): PostgresErrorInfo | undefined {
  if (!(err instanceof Error)) return undefined;
  const meta = (err as { meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } }).meta;
  const cause = meta?.driverAdapterError?.cause;
  if (!cause || typeof cause !== "object") return undefined;
  const code = cause.originalCode ?? cause.code;
  const message = cause.originalMessage ?? cause.message ?? err.message;
  return {
    code: typeof code === "string" ? code : undefined,
    message: String(message),
    kind: typeof cause.kind === "string" ? cause.kind : undefined,
  };
}

/** True when a failed statement (Prisma's own or a raw one) broke the given SQLSTATE, e.g. PG_ERROR.uniqueViolation. */
export const isPostgresError = (err: unknown, code: string): boolean => postgresError(err)?.code === code;
