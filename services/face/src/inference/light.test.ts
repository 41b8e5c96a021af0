import { describe, expect, it } from "vitest";
import { stretchLight } from "./light.js";

/** `n` grey RGB pixels of the given levels, repeated in order. */
const grey = (levels: number[], n: number) =>
  Uint8Array.from({ length: n * 3 }, (_, i) => levels[Math.floor(i / 3) % levels.length]!);

describe("stretchLight (last look at a dark camera frame)", () => {
  it("stretches a dark frame's 1st..99th percentile of luminance to the full range", () => {
    // Levels 10..90 in equal shares: the darkest and brightest 1 % are 10 and 90.
    const frame = grey([10, 30, 50, 70, 90], 1000);
    const out = stretchLight(frame)!;
    expect(out).toBeDefined();
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(255);
    // Linear in between: 50 sits half way.
    expect(out[6]).toBe(128);
    // Every channel of a pixel gets the same mapping, so colours keep their hue.
    expect(out[6]).toBe(out[7]);
  });

  it("clips the extreme 1 % so a few hot pixels do not stop the stretch", () => {
    const frame = grey([...new Array<number>(199).fill(40), 255], 2000); // 0.5 % saturated pixels
    frame.fill(20, 0, 300); // and 5 % at 20: the range to stretch is 20..40
    const out = stretchLight(frame)!;
    expect(out[0]).toBe(0);
    expect(out[300]).toBe(255);
  });

  it("leaves frames that already use the full range, or are flat, alone", () => {
    expect(stretchLight(grey([0, 128, 255], 300))).toBeUndefined();
    expect(stretchLight(grey([100, 105], 300))).toBeUndefined();
  });
});
