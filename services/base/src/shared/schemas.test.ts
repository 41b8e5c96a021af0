import { describe, expect, it } from "vitest";
import { dateTimeSchema } from "./schemas.js";

const parse = (text: string) => dateTimeSchema.safeParse(text);

describe("dateTimeSchema (ISO-8601 as pydantic accepted it, matched as a UTC instant)", () => {
  it.each([
    ["2026-05-01T02:00:00Z", "2026-05-01T02:00:00.000Z"],
    ["2026-05-01T02:00:00", "2026-05-01T02:00:00.000Z"],
    ["2026-05-01T05:00:00+03:00", "2026-05-01T02:00:00.000Z"],
    ["2026-05-01T05:00:00.123456+0300", "2026-05-01T02:00:00.123Z"],
    ["2026-04-30T21:30-04:30", "2026-05-01T02:00:00.000Z"],
    ["2026-05-01 02:00:00z", "2026-05-01T02:00:00.000Z"],
    ["0050-01-01T00:00:00Z", "0050-01-01T00:00:00.000Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
    ["2026-05-01T02:00:00-23:59", "2026-05-02T01:59:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    const result = parse(text);
    expect(result.success).toBe(true);
    expect(result.data?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "yesterday",
    "2026-02-30T00:00:00Z",
    "2026-05-01T24:00:00Z",
    "2026-05-01",
    "2026-13-01T00:00:00Z",
    "2026-05-01T02:00:00+3",
    // Offsets Python's tzinfo refuses.
    "2026-05-01T02:00:00+24:00",
    "2026-05-01T02:00:00+99:99",
    "2026-05-01T02:00:00+01:60",
    // Outside years 1-9999 once in UTC (Postgres refuses them: they used to be 500s).
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-00:01",
  ])("rejects %j", (text) => {
    expect(parse(text).success).toBe(false);
  });
});
