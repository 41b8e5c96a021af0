import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "@rail/common/testing";

// Server tests (src/) run in node; the web app's component tests (web/) choose jsdom per file.
const shared = serviceTestConfig();
export default defineConfig({
  plugins: [react()],
  test: {
    ...shared.test,
    include: ["src/**/*.test.ts", "web/**/*.test.{ts,tsx}"],
    setupFiles: ["web/test-setup.ts"],
  },
});
