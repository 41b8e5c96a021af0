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
  ])("rejects %j", (text) => {
    expect(parse(text).success).toBe(false);
  });
});
