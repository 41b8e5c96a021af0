import type { RequestHandler } from "express";
import type { z } from "zod";
import { ValidationError, zodIssuesToDetail, type RequestPart } from "./errors.js";

/** Request bodies nested deeper than this are refused as a whole; no route takes anything close to it. */
export const MAX_BODY_DEPTH = 64;

/** True when `root` has objects or arrays nested more than `limit` levels deep (checked without recursion). */
export function nestedDeeperThan(root: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Absurdly nested bodies are refused with 422 before validation: walking them recursively (zod, error rendering,
 * Prisma) would overflow the stack, a 500.
 */
export function assertBodyDepth(body: unknown): void {
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) {
    throw new ValidationError([
      {
        type: "too_deep",
        loc: ["body"],
        msg: `JSON must not be nested more than ${MAX_BODY_DEPTH} levels deep`,
      },
    ]);
  }
}

/** Parses one part of a request, throwing the 422 shape clients know. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  input: unknown,
  part: RequestPart,
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssuesToDetail(result.error, part, input));
  return result.data;
}

function findNul(root: unknown): (string | number)[] | null {
  const stack: [unknown, (string | number)[]][] = [[root, ["body"]]];
  while (stack.length > 0) {
    const [value, loc] = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return loc;
    } else if (value !== null && typeof value === "object" && loc.length <= MAX_BODY_DEPTH) {
      for (const [key, child] of Object.entries(value))
        stack.push([child, [...loc, Array.isArray(value) ? Number(key) : key]]);
    }
  }
  return null;
}

/**
 * Postgres text cannot hold NUL characters: a body value with one would fail inside the database (500). No field
 * of any service takes one, so such bodies are refused with 422 (after authentication, like every body check).
 */
export const rejectNulInBody: RequestHandler = (req, _res, next) => {
  // Named by the top-level field (like the services' own checks of free-form fields such as additional_data).
  const loc = findNul(req.body)?.slice(0, 2);
  next(
    loc
      ? new ValidationError([{ type: "string_pattern_mismatch", loc, msg: "NUL characters are not allowed" }])
      : undefined,
  );
};
