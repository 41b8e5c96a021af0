import { describe, expect, it } from "vitest";
import { cosineDistance, normalise } from "./faces.service.js";
import { FaceService } from "./faces.service.js";

// Only toMatch is exercised: it needs none of the collaborators.
const service = (threshold: number) =>
  new FaceService(
    null as never,
    null as never,
    null as never,
    { matchThreshold: threshold } as never,
    null as never,
  );

describe("match scores", () => {
  it("maps distance to a similarity in 0..1 that is 0.5 exactly at the threshold", () => {
    const s = service(0.04);
    expect(s.toMatch("u", 0).similarity).toBe(1);
    expect(s.toMatch("u", 0.04).similarity).toBe(0.5);
    expect(s.toMatch("u", 0.02).similarity).toBe(0.75);
    expect(s.toMatch("u", 0.08).similarity).toBe(0);
    expect(s.toMatch("u", 1.7).similarity).toBe(0);
    expect(s.toMatch("u", -1e-9).distance).toBe(0);
  });

  it("normalises descriptors so scale does not change the cosine distance", () => {
    const a = normalise([1, 2, 3, 4]);
    const b = normalise([2, 4, 6, 8]);
    expect(cosineDistance(a, b)).toBeCloseTo(0, 12);
    expect(cosineDistance(normalise([1, 0]), normalise([0, 1]))).toBeCloseTo(1, 12);
  });

  it("normalises vectors whose squares would overflow or underflow a double", () => {
    for (const factor of [1e-200, 5e-324 / 1e-300, 1e200, 1e300]) {
      const v = normalise([3, 4].map((x) => x * factor));
      expect(v[0]).toBeCloseTo(0.6, 12);
      expect(v[1]).toBeCloseTo(0.8, 12);
    }
    expect(() => normalise([0, 0])).toThrow();
  });
});
