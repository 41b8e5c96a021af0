import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "@rail/common/testing";

// Against the suite's own base/store/face (test/global-setup.ts) and the stack's Postgres, Redis, Chroma and nginx
// (scripts/stack reliability, or scripts/stack test). Files run one after another: the fault scenarios stop parts
// of the stack, which the other files must not see. The development-data guard runs last, as a second group.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- each project names its own files (extends would add)
const { include, ...shared } = serviceTestConfig({ testTimeout: 240_000, hookTimeout: 300_000 }).test;
export default defineConfig({
  test: {
    ...shared,
    fileParallelism: false,
    // Stopping the suite's services and dropping their databases (test/instances.ts) takes a few seconds.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "reliability",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          sequence: { concurrent: false },
        },
      },
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
