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
