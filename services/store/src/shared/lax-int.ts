import { z } from "zod";

/**
 * An integer as pydantic's lax mode took it: a JSON number, or a string of digits (the reference's DebugConsole
 * sends item balances and prices as strings). Anything else fails the inner schema with the usual 422.
 */
export const laxInt = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" && /^\s*[+-]?\d{1,20}\s*$/.test(v) ? Number(v) : v), schema);
