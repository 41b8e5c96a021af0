import { defineConfig } from "vitest/config";

// Runs against the stack started by `scripts/stack up` (or `scripts/stack test`), through nginx.
// Writes test-results.json like every package, for scripts/test-summary.mjs. The development-data guard
// (test/dev-data.guard.ts) runs after every other file, as a second group.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
    projects: [
      { extends: true, test: { name: "e2e", include: ["test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "dev-data",
          include: ["test/dev-data.guard.ts"],
          globalSetup: ["test/dev-data.setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
