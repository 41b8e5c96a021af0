/**
 * Generates the web app's API types (web/api/<service>.ts) from the services' own OpenAPI documents, built
 * in-process from each service's `buildApp` (no running stack, no database: the routes are only declared; the
 * generator is shared with the robot SDK: @rail/common/openapi-types).
 *
 *   pnpm --filter @rail/frontend openapi           write web/api/*.ts
 *   pnpm --filter @rail/frontend openapi --check   exit 1 when a committed file differs (drift)
 *
 * `pnpm build` runs it before type-checking the web app, so a route or schema change that the client code
 * does not match fails the build. Where the service sources are not present (the frontend's Docker image),
 * it keeps the committed files and says so.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { syncApiTypes } from "@rail/common/openapi-types";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVICES = path.resolve(HERE, "../..");
const OUT_DIR = path.resolve(HERE, "../web/api");

/** Services whose APIs the web app calls (issue 12's console adds store). */
const TARGETS = ["base", "store"] as const;

async function main() {
  const check = process.argv.includes("--check");
  const available = TARGETS.every((s) => existsSync(path.join(SERVICES, s, "src", "app.ts")));
  if (!available) {
    console.log("openapi: service sources not present; keeping the committed web/api/*.ts");
    return;
  }
  const same = await syncApiTypes(
    TARGETS.map((service) => ({
      service,
      serviceDir: path.join(SERVICES, service),
      file: path.join(OUT_DIR, `${service}.ts`),
      generator: "scripts/openapi.ts",
    })),
    // A service whose document does not build fails its own typecheck and tests; the web app then builds
    // against the committed types instead of failing the whole stack.
    { check, keepOnError: !check },
  );
  if (!same) process.exitCode = 1;
}

await main();
process.exit(process.exitCode ?? 0);
