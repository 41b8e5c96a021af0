import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "@rail/common/testing";

// Against the running stack (scripts/stack reliability, or scripts/stack test). Files run one after another:
// the fault scenarios stop parts of the stack, which the other files must not see.
const base = serviceTestConfig({ testTimeout: 240_000, hookTimeout: 300_000 });
export default defineConfig({
  test: {
    ...base.test,
    include: ["test/**/*.test.ts"],
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
