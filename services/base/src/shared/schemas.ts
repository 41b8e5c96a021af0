import { z } from "zod";

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * ISO-8601 date-time as pydantic accepted it (offset optional, `Z` allowed). A value without an offset means UTC,
 * which is what the reference's containers did; the result is an instant, compared exactly.
 */
export const dateTimeSchema = z
  .string()
  .max(40)
  .transform((text, ctx) => {
    const m = ISO_DATE_TIME.exec(text.trim());
    if (!m) {
      ctx.addIssue({ code: "custom", message: "Input should be a valid datetime" });
      return z.NEVER;
    }
    const [, y, mo, d, h, mi, s = "0", frac = "0", offset] = m;
    const ms = Math.floor(Number(`0.${frac}`) * 1000);
    // setUTCFullYear: Date.UTC would read years 0-99 as 1900-1999.
    const instant = new Date(Date.UTC(2000, 0, 1, Number(h), Number(mi), Number(s), ms));
    instant.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
    let utc = instant.getTime();
    const valid =
      instant.getUTCMonth() === Number(mo) - 1 &&
      instant.getUTCDate() === Number(d) &&
      Number(h) < 24 &&
      Number(mi) < 60 &&
      Number(s) < 60;
    if (!valid) {
      ctx.addIssue({ code: "custom", message: "Input should be a valid datetime" });
      return z.NEVER;
    }
    if (offset && offset.toUpperCase() !== "Z") {
      const sign = offset.startsWith("-") ? -1 : 1;
      const digits = offset.slice(1).replace(":", "");
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
      utc -= sign * minutes * 60_000;
    }
    return new Date(utc);
  })
  .meta({ type: "string", format: "date-time" });

/** Positive 32-bit integers (train, wagon and place numbers fit a Postgres integer). */
export const positiveIntSchema = z.number().int().min(1).max(2_147_483_647);

/** Free-text station/destination ids (`MOSCOW`, `SPB`, ...). */
export const placeIdSchema = z.string().trim().min(1).max(60);

/** Base64 image as the robots send it (the reference's 10 MiB * 1.25 limit). */
export const imageSchema = z.string().min(1).max(10_485_760);

export const toIso = (date: Date) => date.toISOString();
