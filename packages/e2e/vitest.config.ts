import { defineConfig } from "vitest/config";

// Runs against the stack started by `scripts/stack up` (or `scripts/stack test`), through nginx.
// Writes test-results.json like every package, for scripts/test-summary.mjs.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
