import { defineConfig } from "vitest/config";

// The short bench run needs the running stack (`scripts/stack up`); writes test-results.json like every package.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 600_000,
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
