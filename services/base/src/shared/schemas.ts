import { z } from "zod";
import { laxInt } from "@rail/common";

/** 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants Postgres and Python both can hold. */
const MIN_INSTANT = -62_135_596_800_000;
const MAX_INSTANT = 253_402_300_799_999;

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
      const offsetHours = Number(digits.slice(0, 2));
      const offsetMinutes = Number(digits.slice(2) || "0");
      // As Python's tzinfo: strictly less than a day, minutes below 60.
      if (offsetHours > 23 || offsetMinutes > 59) {
        ctx.addIssue({ code: "custom", message: "Input should be a valid datetime (invalid offset)" });
        return z.NEVER;
      }
      utc -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
    }
    // Years 1-9999 in UTC, as Python's datetime (Postgres refuses year 0 and cannot be sent years past 9999).
    if (utc < MIN_INSTANT || utc > MAX_INSTANT) {
      ctx.addIssue({ code: "custom", message: "Input should be a valid datetime (year out of range)" });
      return z.NEVER;
    }
    return new Date(utc);
  })
  .meta({ type: "string", format: "date-time" });

/**
 * Positive 32-bit integers (train, wagon and place numbers fit a Postgres integer). Digit strings are accepted as
 * pydantic did: the reference's DebugConsole sends e.g. `"train_number": "1186"`.
 */
export const positiveIntSchema = laxInt(z.number().int().min(1).max(2_147_483_647));

/** Free-text station/destination ids (`MOSCOW`, `SPB`, ...). */
export const placeIdSchema = z.string().trim().min(1).max(60);

/** Base64 image as the robots send it (the reference's 10 MiB * 1.25 limit). */
export const imageSchema = z.string().min(1).max(10_485_760);

export const toIso = (date: Date) => date.toISOString();
