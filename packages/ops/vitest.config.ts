import { defineConfig } from "vitest/config";

// Unit tests, and integration tests against the running stack through nginx (scripts/stack up first).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests run the CLI several times per test (a tsx start each): generous on a busy machine.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
