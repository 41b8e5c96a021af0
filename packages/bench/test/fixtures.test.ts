import { describe, expect, it } from "vitest";
import { Fixtures } from "../src/fixtures.js";

describe("bench clean-up", () => {
  it("runs each step once, last in first out, when Ctrl-C's clean-up and the run's own overlap", async () => {
    const fx = new Fixtures();
    const done: string[] = [];
    const step = (name: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(name);
    };
    fx.onCleanup(step("pool end"));
    fx.onCleanup(step("delete tickets"));
    fx.onCleanup(step("delete store"));
    await Promise.all([fx.cleanUp(), fx.cleanUp()]);
    expect(done).toEqual(["delete store", "delete tickets", "pool end"]);
    // What is registered afterwards is cleaned up by the next call, once.
    fx.onCleanup(step("late"));
    await fx.cleanUp();
    await fx.cleanUp();
    expect(done).toEqual(["delete store", "delete tickets", "pool end", "late"]);
  });
});
