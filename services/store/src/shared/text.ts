import { z } from "zod";

// Postgres text and jsonb cannot hold NUL characters, and Prisma's query engine refuses strings with unpaired
// UTF-16 surrogates (e.g. "\ud800" in JSON); rejecting both here keeps such input a 422, not a 500.
const NUL = "\u0000";
const NUL_MESSAGE = "Text must not contain NUL characters";
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const SURROGATE_MESSAGE = "Text must be valid Unicode (no unpaired surrogates)";

/** Deeper JSON is refused: walking or storing it would exhaust the stack (a 500) long before it is useful. */
export const MAX_JSON_DEPTH = 32;
const DEPTH_MESSAGE = `JSON must not be nested more than ${MAX_JSON_DEPTH} levels deep`;

/** Why a string cannot be stored, or undefined when it can. */
function textProblem(s: string): string | undefined {
  if (s.includes(NUL)) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(s)) return SURROGATE_MESSAGE;
  return undefined;
}

/** Why a JSON value cannot be stored, or undefined when it can. Iterative, so any nesting is safe to inspect. */
function jsonProblem(root: unknown): string | undefined {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return problem;
    } else if (value !== null && typeof value === "object") {
      if (depth > MAX_JSON_DEPTH) return DEPTH_MESSAGE;
      for (const [key, child] of Object.entries(value)) {
        const problem = textProblem(key);
        if (problem) return problem;
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

/** A string that can be stored: no NUL characters, no unpaired surrogates. */
export const storableText = (schema: z.ZodString = z.string()) =>
  schema.superRefine((s, ctx) => {
    const problem = textProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A free-form JSON object (e.g. a purchase's additional_data) that can be stored as jsonb. */
export const storableJsonObject = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const problem = jsonProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
