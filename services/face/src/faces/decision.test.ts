import { describe, expect, it } from "vitest";
import { decide, nearestPerUser } from "./decision.js";

describe("1:N decision: threshold and margin", () => {
  it("keeps each user's closest example and sorts users nearest first", () => {
    const per = nearestPerUser([
      { userId: "b", distance: 0.05 },
      { userId: "a", distance: 0.07 },
      { userId: "a", distance: 0.03 },
      { userId: "c", distance: Number.NaN },
    ]);
    expect(per).toEqual([
      { userId: "a", distance: 0.03 },
      { userId: "b", distance: 0.05 },
    ]);
  });

  it("accepts the nearest user within the threshold when the next user is at least the margin farther", () => {
    const d = decide(
      [
        { userId: "a", distance: 0.03 },
        { userId: "b", distance: 0.05 },
      ],
      0.06,
      0.015,
    );
    expect(d).toMatchObject({ match: true, best: { userId: "a" }, next: { userId: "b" } });
  });

  it("refuses a look-alike: two users within the margin of each other are ambiguous", () => {
    const d = decide(
      [
        { userId: "a", distance: 0.03 },
        { userId: "b", distance: 0.04 },
      ],
      0.06,
      0.015,
    );
    expect(d).toMatchObject({ match: false, reason: "ambiguous" });
  });

  it("refuses a face beyond the threshold, and answers no_candidates for an empty list", () => {
    expect(decide([{ userId: "a", distance: 0.061 }], 0.06, 0.015)).toMatchObject({
      match: false,
      reason: "beyond_threshold",
    });
    expect(decide([], 0.06, 0.015)).toEqual({ match: false, reason: "no_candidates" });
  });

  it("accepts a lone candidate within the threshold (no next-best user to compare with)", () => {
    expect(decide([{ userId: "a", distance: 0.06 }], 0.06, 0.015)).toMatchObject({ match: true });
  });
});
