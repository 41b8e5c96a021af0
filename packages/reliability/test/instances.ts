/**
 * The suite's own base, store and face processes: the same code the stack runs, started on free ports over
 * databases of their own (cloned from the migrated templates, dropped afterwards), their own Redis database
 * number and their own Chroma collection. Fuzzing with credentials writes rows wherever schemathesis finds a way
 * in; here those rows land in throwaway databases, never in the development databases the stack serves.
 *
 * Shared Postgres, Redis and Chroma servers are the same ones (the fault scenarios stop and start them).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { createTestDatabase, freePort, type TestDatabase } from "@rail/common/testing";

export type InstanceName = "base" | "store" | "face";

const PREFIX: Record<InstanceName, string> = {
  base: "/base_api/v1",
  store: "/store_api/v1",
  face: "/face_api/v1",
};

/** Redis database the suite's services keep their sessions and counters in (the stack uses 0). */
export const SUITE_REDIS_DB = 7;

export interface InstanceSpec {
  /** Environment every process of the suite gets (URLs of the suite's own services and databases). */
  env: Record<string, string>;
  urls: Record<InstanceName, string>;
  ports: Record<InstanceName, number>;
}

const withRedisDb = (url: string, db: number) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts one service process (`pnpm --filter @rail/<name> start`, as the stack does) in its own process group. */
export function startService(
  root: string,
  name: InstanceName,
  env: Record<string, string>,
  port: number,
  logDir: string,
): ChildProcess {
  const databaseUrl = env[`${name.toUpperCase()}_DATABASE_URL`]!;
  const log = createWriteStream(path.join(logDir, `${name}-${port}.log`), { flags: "a" });
  const child = spawn("pnpm", ["--filter", `@rail/${name}`, "start"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: "false",
    },
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** Stops a process group started by startService and waits until it is gone. */
export async function stopService(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = sleep(15_000).then(() => "timeout");
  if ((await Promise.race([gone, timeout])) === "timeout") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await gone;
  }
}

export async function waitReady(url: string, timeoutMs = 180_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(5_000) })
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return;
    await sleep(300);
  }
  throw new Error(`${url}/ready did not answer 200 within ${timeoutMs} ms`);
}

export interface Instances extends InstanceSpec {
  /** Restarts one service (the face-outage scenario stops it on purpose). */
  start: (name: InstanceName) => Promise<void>;
  stop: (name: InstanceName) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Creates the databases, starts the three services against each other and waits until each is ready.
 * `close` stops them, drops the databases, deletes the Chroma collection and empties the suite's Redis database.
 */
export async function startInstances(
  root: string,
  stackEnv: Record<string, string>,
  /** "ready": the *_DATABASE_URL databases are the instances' own already (migrated, thrown away by the caller). */
  mode: "clone" | "ready" = "clone",
): Promise<Instances> {
  const tag = randomBytes(4).toString("hex");
  const logDir = path.join(root, ".stack", "reliability", "logs");
  mkdirSync(logDir, { recursive: true });
  const databases: TestDatabase[] = [];
  const processes = new Map<InstanceName, ChildProcess>();
  const collection = `reliability_${tag}`;
  const redisUrl = withRedisDb(stackEnv.REDIS_URL!, SUITE_REDIS_DB);

  const cleanup = async () => {
    await Promise.all([...processes.values()].map(stopService));
    for (const db of databases) await db.drop().catch(() => {});
    await fetch(
      `${stackEnv.CHROMA_URL}/api/v2/tenants/default_tenant/databases/default_database/collections/${collection}`,
      { method: "DELETE" },
    ).catch(() => {});
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on("error", () => {});
    await redis
      .connect()
      .then(() => redis.flushdb())
      .catch(() => {});
    redis.disconnect();
  };

  try {
    const env: Record<string, string> = { ...stackEnv, LOG_LEVEL: "warn", NODE_ENV: "development" };
    for (const name of mode === "clone" ? (["base", "store", "face"] as const) : []) {
      const key = `${name.toUpperCase()}_DATABASE_URL`;
      const db = await createTestDatabase({
        serviceDir: path.join(root, "services", name),
        databaseUrl: stackEnv[key]!,
      });
      databases.push(db);
      env[key] = db.url;
    }
    const ports = { base: await freePort(), store: await freePort(), face: await freePort() };
    const urls = {
      base: `http://127.0.0.1:${ports.base}${PREFIX.base}`,
      store: `http://127.0.0.1:${ports.store}${PREFIX.store}`,
      face: `http://127.0.0.1:${ports.face}${PREFIX.face}`,
    };
    Object.assign(env, {
      BASE_API_URL: urls.base,
      STORE_API_URL: urls.store,
      FACE_API_URL: urls.face,
      REDIS_URL: redisUrl,
      FACE_COLLECTION: collection,
      // One inference thread is enough for fuzzing and keeps the suite light on a shared machine.
      FACE_WORKERS: "1",
    });
    const start = async (name: InstanceName) => {
      processes.set(name, startService(root, name, env, ports[name], logDir));
      await waitReady(urls[name]);
    };
    // face first: base checks it in /ready.
    await start("face");
    await Promise.all([start("base"), start("store")]);
    return {
      env,
      urls,
      ports,
      start,
      stop: async (name) => {
        const child = processes.get(name);
        if (child) await stopService(child);
      },
      close: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
