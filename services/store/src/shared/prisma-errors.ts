import { Prisma } from "../generated/prisma/client.js";

// Used by repositories only: they translate database failures into outcomes the services understand.

/** True when a write failed on a unique constraint (Postgres 23505). */
export const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** True when a write referenced a row that is gone (Postgres 23503), e.g. a store deleted meanwhile. */
export const isForeignKeyViolation = (err: unknown): boolean =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003";

/**
 * True when the database could not take the work in time: no pooled connection within maxWait (P2024), a
 * transaction that could not start or ran past its timeout (P2028), or a lock queue that Postgres gave up on.
 */
export const isContentionFailure = (err: unknown): boolean =>
  err instanceof Prisma.PrismaClientKnownRequestError && ["P2024", "P2028", "P2034"].includes(err.code);
