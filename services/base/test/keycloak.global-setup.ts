import { requireKeycloak } from "./keycloak.js";

/**
 * Vitest global setup: once per test run, make sure the stack's Keycloak answers at KEYCLOAK_URL (and its test
 * client is on). Keycloak itself is started by `scripts/stack up --infra`, never per test; without it the run
 * stops here with that hint.
 */
export default async function setup(): Promise<void> {
  await requireKeycloak();
}
