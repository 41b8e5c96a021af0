import { describe, expect, it } from "vitest";
import { isTimeZone, isoInZone, localDate, localDayRange, offsetMinutes } from "./local-time.js";

describe("local times of stations (pure)", () => {
  it("formats instants with the zone's offset at that instant, daylight saving included", () => {
    expect(isoInZone(new Date("2026-12-02T06:00:00Z"), "Europe/Moscow")).toBe("2026-12-02T09:00:00+03:00");
    expect(isoInZone(new Date("2026-01-15T12:00:00Z"), "Europe/Berlin")).toBe("2026-01-15T13:00:00+01:00");
    expect(isoInZone(new Date("2026-07-15T12:00:00Z"), "Europe/Berlin")).toBe("2026-07-15T14:00:00+02:00");
    expect(isoInZone(new Date("2026-07-15T12:00:00Z"), "America/St_Johns")).toBe("2026-07-15T09:30:00-02:30");
    expect(isoInZone(new Date("2026-07-15T12:00:00Z"), "UTC")).toBe("2026-07-15T12:00:00+00:00");
    expect(offsetMinutes(new Date("2026-07-15T12:00:00Z"), "Asia/Kolkata")).toBe(330);
  });

  it("takes the local calendar date in the zone, not in UTC", () => {
    expect(localDate(new Date("2026-12-01T22:30:00Z"), "Europe/Moscow")).toBe("2026-12-02");
    expect(localDate(new Date("2026-12-01T22:30:00Z"), "UTC")).toBe("2026-12-01");
  });

  it("bounds a local day by its two midnights, also on days with 23 or 25 hours", () => {
    expect(localDayRange("2026-12-02", "Europe/Moscow")).toEqual({
      start: new Date("2026-12-01T21:00:00Z"),
      end: new Date("2026-12-02T21:00:00Z"),
    });
    // Berlin moves to summer time on 2026-03-29 (23 hours) and back on 2026-10-25 (25 hours).
    const spring = localDayRange("2026-03-29", "Europe/Berlin");
    expect(spring).toEqual({
      start: new Date("2026-03-28T23:00:00Z"),
      end: new Date("2026-03-29T22:00:00Z"),
    });
    const autumn = localDayRange("2026-10-25", "Europe/Berlin");
    expect(autumn.end.getTime() - autumn.start.getTime()).toBe(25 * 3600_000);
  });

  it("knows IANA zones and nothing else", () => {
    expect(isTimeZone("Asia/Yekaterinburg")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
