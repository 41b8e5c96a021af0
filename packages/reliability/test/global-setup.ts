/**
 * Starts the suite's own base, store and face (test/instances.ts) once for all files and hands their URLs and
 * environment to the test files (`inject("instances")`); stops them and drops their databases at the end.
 */
import type { TestProject } from "vitest/node";
import { loadStackEnv } from "@rail/common/testing";
import { startInstances, type InstanceSpec } from "./instances.js";
import { ROOT } from "./paths.js";

declare module "vitest" {
  export interface ProvidedContext {
    instances: InstanceSpec;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  // The stack's environment as the stack hands it to services (vitest's own variables left out).
  const env = Object.fromEntries(
    Object.entries({ ...loadStackEnv(), ...process.env }).filter(
      (e): e is [string, string] => e[1] !== undefined && !e[0].startsWith("VITEST"),
    ),
  );
  const instances = await startInstances(ROOT, env);
  console.log(
    `reliability: own base/store/face on ports ${Object.values(instances.ports).join(", ")} over fresh databases ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s to start)`,
  );
  project.provide("instances", { env: instances.env, urls: instances.urls, ports: instances.ports });
  return () => instances.close();
}
