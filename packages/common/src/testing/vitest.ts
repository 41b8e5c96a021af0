import { loadStackEnv } from "../stack-env.js";

/**
 * Vitest settings every package shares: the stack's environment, generous hook timeouts for starting real
 * dependencies, and a JSON report that scripts/test-summary.mjs adds up into the CI's `N passed, N failed`.
 */
export function serviceTestConfig(overrides: { testTimeout?: number; hookTimeout?: number } = {}) {
  return {
    test: {
      env: { ...loadStackEnv(), NODE_ENV: "test", LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: overrides.hookTimeout ?? 120_000,
      pool: "forks" as const,
      reporters: ["default", "json"],
      outputFile: { json: "test-results.json" },
    },
  };
}
