import { Prisma } from "../generated/prisma/client.js";

/** Unique index violated (Prisma P2002); `target` names the constraint or columns when known. */
export const isUniqueViolation = (err: unknown): err is Prisma.PrismaClientKnownRequestError =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";

/** Foreign key violated (the referenced row is gone). */
export const isForeignKeyViolation = (err: unknown): err is Prisma.PrismaClientKnownRequestError =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2003";

/** Record to update/delete not found. */
export const isRecordNotFound = (err: unknown): err is Prisma.PrismaClientKnownRequestError =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025";
