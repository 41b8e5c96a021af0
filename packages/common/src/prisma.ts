import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { loadStackEnv } from "./stack-env.js";

/**
 * Splits a postgres URL into discrete pg settings. The patched adapter needs them discrete: a
 * `connectionString` would override the shadow database name during `migrate dev`.
 */
export function pgConfigFromUrl(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new Error("DATABASE_URL must name a database");
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    max: Number(url.searchParams.get("connection_limit") ?? 10),
  };
}

export const createPgAdapter = (databaseUrl: string) => new PrismaPg(pgConfigFromUrl(databaseUrl));

/**
 * Applies pending migrations with the service's own Prisma CLI (on start in development, and to build the test
 * databases' template; production runs `pnpm db:migrate` as a deploy step).
 */
export async function applyMigrations(serviceDir: string, databaseUrl: string): Promise<void> {
  await promisify(execFile)(path.join(serviceDir, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: serviceDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
}

/**
 * Settings for a service's prisma.config.ts: the JS engine with the pg driver adapter, so the CLI never
 * downloads engine binaries. The schema's env("DATABASE_URL") must resolve even for `prisma generate` (which
 * never connects), or the CLI cannot read the engine type and tries to download a query engine. So DATABASE_URL
 * is filled in when unset, from the service's own variable (e.g. BASE_DATABASE_URL) in the environment or in
 * the repository's .env / .env.example: that is what makes a plain `pnpm db:migrate` reach each service's database.
 */
export function prismaCliConfig(serviceDatabaseVariable: string) {
  const databaseUrl =
    process.env.DATABASE_URL ||
    process.env[serviceDatabaseVariable] ||
    loadStackEnv()[serviceDatabaseVariable];
  if (!databaseUrl) throw new Error(`Set DATABASE_URL or ${serviceDatabaseVariable} (see .env.example)`);
  process.env.DATABASE_URL = databaseUrl;
  return {
    schema: "prisma/schema.prisma",
    experimental: { adapter: true },
    engine: "js",
    adapter: async () => createPgAdapter(databaseUrl),
  } as const;
}
