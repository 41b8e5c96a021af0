import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServiceApp } from "./app.js";
import { unavailableDependency } from "./dependency-errors.js";
import { createLogger } from "./logger.js";
import { preparedQuery } from "./prisma.js";
import { createRedis, redisConnected } from "./redis.js";
import { ApiRouter } from "./router.js";
import { freePort } from "./testing/postgres-cluster.js";

const logger = createLogger("test", "silent");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function appWith(handler: () => Promise<unknown>) {
  const api = new ApiRouter().route({ method: "get", path: "/thing", summary: "uses a dependency", handler });
  return createServiceApp({ name: "test", prefix: "/t", logger, api, readiness: [] });
}

describe("dependency failures are 503 naming the dependency", () => {
  it("recognises Prisma's and pg's connection failures as the database", () => {
    const p1001 = Object.assign(new Error("Can't reach database server at 127.0.0.1:1"), {
      name: "PrismaClientKnownRequestError",
      code: "P1001",
    });
    expect(unavailableDependency(p1001)).toBe("Database");
    const adapter = Object.assign(new Error("x"), {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: {
        driverAdapterError: {
          name: "DriverAdapterError",
          cause: { kind: "postgres", originalCode: "57P01" },
        },
      },
    });
    expect(unavailableDependency(adapter)).toBe("Database");
    expect(unavailableDependency(new Error("timeout exceeded when trying to connect"))).toBe("Database");
    expect(unavailableDependency(new Error("Connection terminated unexpectedly"))).toBe("Database");
    // A constraint violation is the caller's or the code's problem, not an outage.
    const unique = Object.assign(new Error("Unique constraint failed"), {
      name: "PrismaClientKnownRequestError",
      code: "P2002",
    });
    expect(unavailableDependency(unique)).toBeNull();
    expect(unavailableDependency(new Error("database password is hunter2"))).toBeNull();
  });

  it("a database that accepts connections but never answers: 503 Database unavailable within the pool timeout", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    const pool = new pg.Pool({ host: "127.0.0.1", port, connectionTimeoutMillis: 300 });
    const started = Date.now();
    const res = await request(appWith(() => pool.query("SELECT 1"))).get("/t/thing");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ detail: "Database unavailable" });
    expect(Date.now() - started).toBeLessThan(2_000);
    await pool.end();
    silent.close();
  });

  it("a prepared hot-path query whose database refuses connections: 503 Database unavailable", async () => {
    const port = await freePort(); // nothing listens there
    const pool = new pg.Pool({ host: "127.0.0.1", port, connectionTimeoutMillis: 300 });
    const byId = preparedQuery<{ id: string }, [string]>(pool, "thing_by_id", "SELECT $1::text AS id");
    const res = await request(appWith(() => byId("x"))).get("/t/thing");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ detail: "Database unavailable" });
    await pool.end();
    // A refused connection elsewhere (not a database query) is not taken for the database.
    expect(
      unavailableDependency(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })),
    ).toBeNull();
  });

  describe("Redis stopped and started again", () => {
    let dir: string;
    let port: number;
    let server: ChildProcess | undefined;
    const startRedis = async () => {
      server = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir],
        {
          stdio: "ignore",
        },
      );
      for (let i = 0; i < 50; i++) {
        try {
          const probe = createRedis(`redis://127.0.0.1:${port}`);
          await redisConnected(probe, 200);
          const ok = probe.status === "ready";
          probe.disconnect();
          if (ok) return;
        } catch {
          /* not yet */
        }
        await sleep(100);
      }
      throw new Error("redis-server did not start");
    };
    const stopRedis = async () => {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      server?.kill("SIGKILL");
      await exited;
    };
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "rail-redis-"));
      port = await freePort();
      await startRedis();
    });
    afterAll(async () => {
      await stopRedis();
      rmSync(dir, { recursive: true, force: true });
    });

    it("fails fast with 503 Redis unavailable while down and works again after, without a new client", async () => {
      const redis = createRedis(`redis://127.0.0.1:${port}`);
      await redisConnected(redis);
      const app = appWith(async () => ({ value: await redis.incr("counter") }));
      expect((await request(app).get("/t/thing")).status).toBe(200);

      await stopRedis();
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        const res = await request(app).get("/t/thing");
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ detail: "Redis unavailable" });
        // No queueing for a reconnect: well under the 1-5 s waits this used to take.
        expect(Date.now() - started).toBeLessThan(1_500);
      }

      await startRedis();
      let recovered = false;
      for (let i = 0; i < 50 && !recovered; i++) {
        recovered = (await request(app).get("/t/thing")).status === 200;
        if (!recovered) await sleep(100);
      }
      expect(recovered).toBe(true);
      redis.disconnect();
    });
  });
});
