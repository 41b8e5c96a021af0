/**
 * The development-data guard of the suites that run against the shared stack (e2e, reliability): a global setup
 * that fingerprints the development databases before any test runs, and a test, run after every other file of
 * the suite (a vitest project of its own with `sequence.groupOrder: 1`), that finds them unchanged.
 * RAIL_DEV_DATA_GUARD=off skips the test on a stack that others write to at the same time (CI never sets it).
 * The global setup is `devDataSetup` of ./dev-data.ts (a global setup must not import vitest's runtime).
 */
import { describe, expect, inject, it } from "vitest";
import { devDataChanges, devDataFingerprint } from "./dev-data.js";
import { loadStackEnv } from "../stack-env.js";

const stackEnv = () => ({ ...loadStackEnv(), ...process.env });

/** The guard test: call it at the top level of the suite's guard file. */
export function devDataGuard(suite: string): void {
  describe("development data", () => {
    it.skipIf(process.env.RAIL_DEV_DATA_GUARD === "off")(
      `the ${suite} left the development databases as it found them (rows and their contents)`,
      async () => {
        const after = await devDataFingerprint(stackEnv());
        expect(devDataChanges(inject("devDataBefore"), after)).toEqual([]);
      },
    );
  });
}
