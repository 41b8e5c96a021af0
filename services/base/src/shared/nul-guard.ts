import type { RequestHandler } from "express";
import { ValidationError, type ValidationIssue } from "@rail/common";

const MAX_DEPTH = 32;

function findNul(value: unknown, loc: (string | number)[], depth = 0): (string | number)[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? loc : null;
  if (depth > MAX_DEPTH || value === null || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value)) {
    const found = findNul(child, [...loc, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Postgres text cannot hold NUL characters; a value containing one would fail inside the database (500). No field of
 * this API legitimately contains one, so such requests are refused up front with a 422.
 */
export const rejectNulCharacters: RequestHandler = (req, _res, next) => {
  const issue = (loc: (string | number)[]): ValidationIssue => ({
    type: "string_pattern_mismatch",
    loc,
    msg: "NUL characters are not allowed",
  });
  if (/%00/i.test(req.originalUrl)) {
    const inQuery =
      req.originalUrl.indexOf("?") >= 0 && /%00/i.test(req.originalUrl.slice(req.originalUrl.indexOf("?")));
    return next(new ValidationError([issue([inQuery ? "query" : "path"])]));
  }
  const inBody = findNul(req.body, ["body"]);
  next(inBody ? new ValidationError([issue(inBody)]) : undefined);
};
