/**
 * Generates the robot SDK's wire types (src/api/<service>.ts) from the services' own OpenAPI documents, with the
 * generator the web app uses (@rail/common/openapi-types), keeping only the routes a robot calls.
 *
 *   pnpm --filter @rail/robot-sdk openapi           write src/api/*.ts
 *   pnpm --filter @rail/robot-sdk openapi --check   exit 1 when a committed file differs (drift)
 *
 * src/api/openapi.test.ts runs the same check in the SDK's tests, so a route change fails CI until the types are
 * regenerated (and the SDK's typecheck then shows what the change breaks).
 */
import { syncApiTypes } from "@rail/common/openapi-types";
import { ROBOT_API_TARGETS } from "../src/api/targets.js";

const same = await syncApiTypes(ROBOT_API_TARGETS, { check: process.argv.includes("--check") });
process.exit(same ? 0 : 1);
