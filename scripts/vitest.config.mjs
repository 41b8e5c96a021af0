import { defineConfig } from "vitest/config";

// Unit tests of scripts/stack (pure logic; no stack needed). Writes test-results.json for scripts/test-summary.mjs.
export default defineConfig({
  test: {
    include: ["lib/**/*.test.mjs"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
