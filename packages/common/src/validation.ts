import type { z } from "zod";
import { ValidationError, zodIssuesToDetail, type RequestPart } from "./errors.js";

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
