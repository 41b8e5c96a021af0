import { z } from "zod";

/**
 * An integer as pydantic's lax mode took it: a JSON number, or a string of digits (the reference's DebugConsole
 * sends e.g. `train_number: "1186"`, item balances and prices as strings). Anything else (floats in strings,
 * booleans, words) reaches the inner schema unchanged and fails with the usual 422. The OpenAPI document shows the
 * inner integer schema.
 */
export const laxInt = <T extends z.ZodType<number>>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && /^\s*[+-]?\d{1,20}\s*$/.test(v) ? Number(v) : v), schema);
