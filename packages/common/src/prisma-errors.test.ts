import { describe, expect, it } from "vitest";
import {
  isContentionFailure,
  isForeignKeyViolation,
  isRecordNotFound,
  isUniqueViolation,
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
});
