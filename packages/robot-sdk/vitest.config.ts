import { defineConfig } from "vitest/config";

// Pure unit tests (encoding, signatures, validity rules, the client against a scripted transport). The integration
// test against a real base service lives in services/base/src/ticket-signing/ (real Postgres and Redis).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    pool: "forks",
    reporters: ["default", "json"],
    outputFile: { json: "test-results.json" },
  },
});
