import { defineConfig } from "vitest/config";
import { serviceTestConfig } from "@rail/common/testing";

const shared = serviceTestConfig();

export default defineConfig({
  test: {
    ...shared.test,
    // Passenger tests use real Keycloak tokens: checked once per run (Keycloak comes from `scripts/stack up --infra`).
    globalSetup: ["test/keycloak.global-setup.ts"],
  },
});
