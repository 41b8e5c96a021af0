import { describe, expect, it } from "vitest";
import {
  PG_ERROR,
  isContentionFailure,
  isForeignKeyViolation,
  isPostgresError,
  isRecordNotFound,
  isUniqueViolation,
  postgresError,
} from "./prisma-errors.js";

/** The shape of Prisma's PrismaClientKnownRequestError (each service has its own generated class). */
const prismaError = (code: string) =>
  Object.assign(new Error(`prisma ${code}`), { name: "PrismaClientKnownRequestError", code, meta: {} });

describe("Prisma error checks", () => {
  it("recognise each Prisma code, and only that code", () => {
    expect(isUniqueViolation(prismaError("P2002"))).toBe(true);
    expect(isUniqueViolation(prismaError("P2003"))).toBe(false);
    expect(isForeignKeyViolation(prismaError("P2003"))).toBe(true);
    expect(isRecordNotFound(prismaError("P2025"))).toBe(true);
    expect(isRecordNotFound(prismaError("P2002"))).toBe(false);
    for (const code of ["P2024", "P2028", "P2034"]) expect(isContentionFailure(prismaError(code))).toBe(true);
    expect(isContentionFailure(prismaError("P2002"))).toBe(false);
  });

  it("ignore errors that are not Prisma's known request errors", () => {
    expect(isUniqueViolation(Object.assign(new Error("x"), { code: "P2002" }))).toBe(false);
    expect(isUniqueViolation({ name: "PrismaClientKnownRequestError", code: "P2002" })).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
  });

  it("read the Postgres SQLSTATE of a failed raw statement (P2010 with the driver's cause)", () => {
    const raw = Object.assign(prismaError("P2010"), {
      meta: {
        driverAdapterError: {
          cause: {
            originalCode: "23505",
            originalMessage: 'duplicate key value violates unique constraint "tickets_seat_key"',
            kind: "UniqueConstraintViolation",
          },
        },
      },
    });
    expect(postgresError(raw)).toEqual({
      code: "23505",
      message: 'duplicate key value violates unique constraint "tickets_seat_key"',
      kind: "UniqueConstraintViolation",
    });
    expect(isPostgresError(raw, PG_ERROR.uniqueViolation)).toBe(true);
    expect(isPostgresError(raw, PG_ERROR.foreignKeyViolation)).toBe(false);
    expect(postgresError(prismaError("P2002"))).toBeUndefined();
    expect(postgresError("boom")).toBeUndefined();
  });
});
