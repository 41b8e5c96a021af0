// What scripts/openapi.ts generates: per service, the routes robots call (robot routes and the robot login) and
// their successful answers.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiTypesTarget } from "@rail/common/openapi-types";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVICES = path.resolve(HERE, "../../../../services");

const robotRoute = (apiPath: string) => apiPath.startsWith("/robot/") || apiPath.startsWith("/auth/robot/");

export const ROBOT_API_TARGETS: ApiTypesTarget[] = (["base", "store"] as const).map((service) => ({
  service,
  serviceDir: path.join(SERVICES, service),
  file: path.join(HERE, `${service}.ts`),
  generator: "packages/robot-sdk/scripts/openapi.ts",
  includePath: robotRoute,
  // Errors reach the SDK's callers as RobotApiError (status and detail), not as typed bodies.
  successOnly: true,
}));
