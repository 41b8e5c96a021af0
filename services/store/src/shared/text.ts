import { z } from "zod";

// Postgres text and jsonb cannot hold NUL characters; rejecting them here keeps such input a 422, not a 500.
const NUL = "\u0000";
const NUL_MESSAGE = "Text must not contain NUL characters";

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return value.includes(NUL);
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(([key, v]) => key.includes(NUL) || containsNul(v));
  }
  return false;
}

/** A string that can be stored: no NUL characters. */
export const storableText = (schema: z.ZodString = z.string()) =>
  schema.refine((s) => !s.includes(NUL), NUL_MESSAGE);

/** A free-form JSON object (e.g. a purchase's additional_data) that can be stored as jsonb. */
export const storableJsonObject = z
  .record(z.string(), z.unknown())
  .refine((v) => !containsNul(v), NUL_MESSAGE);
