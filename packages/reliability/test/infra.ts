/**
 * Postgres, Redis and Chroma of the fault scenarios' own (a throwaway Postgres cluster with each service's migrated
 * database, a redis-server and a `chroma run` on free ports, data in temporary directories): the scenarios stop and
 * start them while the suite's own services keep running, and nobody else's tests notice. The same binaries as
 * scripts/stack.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestDatabase, freePort, startThrowawayPostgres } from "@rail/common/testing";
import { stopService } from "./instances.js";

export type InfraPart = "postgres" | "redis" | "chroma";

export interface OwnInfra {
  /** BASE_/STORE_/FACE_DATABASE_URL, REDIS_URL and CHROMA_URL pointing at this infrastructure. */
  env: Record<string, string>;
  stop: (part: InfraPart) => Promise<void>;
  start: (part: InfraPart) => Promise<void>;
  close: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`${what} did not start within ${timeoutMs} ms`);
}

/** The newest Postgres client binaries, as the throwaway cluster uses (scripts/stack installs them). */
function pgBin(tool: string): string {
  const base = "/usr/lib/postgresql";
  const newest = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", tool)))
    .sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`${tool} not found under ${base}`);
  return path.join(base, newest, "bin", tool);
}

/**
 * Each service's database, migrated: a copy of the migrated template of the stack's cluster (pg_dump of a clone,
 * restored with psql) — seconds, where running every migration again takes a minute on a busy machine.
 */
async function copyMigratedDatabases(
  root: string,
  stackEnv: Record<string, string | undefined>,
  target: (database: string) => string,
): Promise<void> {
  for (const name of ["base", "store", "face"]) {
    const clone = await createTestDatabase({
      serviceDir: path.join(root, "services", name),
      databaseUrl: stackEnv[`${name.toUpperCase()}_DATABASE_URL`]!,
    });
    try {
      const r = spawnSync(
        "bash",
        [
          "-c",
          'set -o pipefail; "$0" --no-owner --no-privileges "$1" | "$2" -q -v ON_ERROR_STOP=1 "$3" >/dev/null',
          pgBin("pg_dump"),
          clone.url,
          pgBin("psql"),
          target(`rail_${name}`),
        ],
        { encoding: "utf8" },
      );
      if (r.status !== 0) throw new Error(`copying the ${name} database: ${r.stderr}`);
    } finally {
      await clone.drop();
    }
  }
}

export async function startOwnInfra(
  root: string,
  stackEnv: Record<string, string | undefined>,
): Promise<OwnInfra> {
  const dir = mkdtempSync(path.join(tmpdir(), "rail-reliability-"));
  const pg = await startThrowawayPostgres(["rail_base", "rail_store", "rail_face"]);
  const redisPort = await freePort();
  const chromaPort = await freePort();
  const processes = new Map<"redis" | "chroma", ChildProcess>();
  const chromaUrl = `http://127.0.0.1:${chromaPort}`;

  const spawnPart = (part: "redis" | "chroma") =>
    part === "redis"
      ? spawn(
          "redis-server",
          ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--dir", dir],
          {
            detached: true,
            stdio: "ignore",
          },
        )
      : spawn(
          path.join(root, "node_modules", ".bin", "chroma"),
          ["run", "--path", path.join(dir, "chroma"), "--host", "127.0.0.1", "--port", String(chromaPort)],
          { detached: true, stdio: "ignore" },
        );
  const healthy = {
    redis: async () => {
      const { Redis } = await import("ioredis");
      const client = new Redis({
        port: redisPort,
        host: "127.0.0.1",
        lazyConnect: true,
        maxRetriesPerRequest: 0,
      });
      client.on("error", () => {});
      try {
        await client.connect();
        return (await client.ping()) === "PONG";
      } finally {
        client.disconnect();
      }
    },
    chroma: async () => (await fetch(`${chromaUrl}/api/v2/heartbeat`)).status === 200,
  };
  const start = async (part: InfraPart) => {
    if (part === "postgres") return pg.start();
    processes.set(part, spawnPart(part));
    await waitFor(healthy[part], part);
  };
  const stop = async (part: InfraPart) => {
    if (part === "postgres") return pg.stop();
    const child = processes.get(part);
    if (child) await stopService(child);
  };
  const close = async () => {
    for (const part of ["redis", "chroma"] as const) await stop(part).catch(() => {});
    pg.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([
      start("redis"),
      start("chroma"),
      copyMigratedDatabases(root, stackEnv, (database) => pg.url(database)),
    ]);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    env: {
      BASE_DATABASE_URL: pg.url("rail_base"),
      STORE_DATABASE_URL: pg.url("rail_store"),
      FACE_DATABASE_URL: pg.url("rail_face"),
      REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
      CHROMA_URL: chromaUrl,
    },
    stop,
    start,
    close,
  };
}
