import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A throwaway Postgres cluster of its own (initdb into a temporary directory, a free port) for tests that stop
 * and start the database: the stack's shared cluster must never be restarted under other people's tests. Uses
 * the same Debian binaries as scripts/stack (/usr/lib/postgresql/<newest>/bin); as root it runs them as the
 * `postgres` user, since initdb refuses to run as root.
 */
export interface ThrowawayPostgres {
  /** postgresql://rail:rail@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  port: number;
  stop(): void;
  start(): void;
  /** Stops the cluster and deletes its directory. */
  destroy(): void;
}

const USER = "rail";
const PASSWORD = "rail";

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0])
    throw new Error("Postgres binaries not found under /usr/lib/postgresql (scripts/stack up)");
  return path.join(base, versions[0], "bin");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startThrowawayPostgres(databases: string[] = []): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const isRoot = process.getuid?.() === 0;
  const asPostgres = (cmd: string, args: string[]) =>
    isRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", cmd, ...args], { stdio: "pipe" })
      : execFileSync(cmd, args, { stdio: "pipe" });
  const dir = mkdtempSync(path.join(tmpdir(), "rail-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const pwfile = path.join(dir, "pwfile");
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  asPostgres(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    USER,
    `--pwfile=${pwfile}`,
    "--auth=scram-sha-256",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = () =>
    asPostgres(path.join(bin, "pg_ctl"), [
      "-D",
      data,
      "-o",
      options,
      "-l",
      path.join(dir, "log"),
      "-w",
      "start",
    ]);
  const stop = () => {
    if (existsSync(path.join(data, "postmaster.pid")))
      asPostgres(path.join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
  };
  start();
  const url = (database = "postgres") => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  for (const database of databases) {
    const r = spawnSync(
      path.join(bin, "psql"),
      [url(), "-v", "ON_ERROR_STOP=1", "-c", `CREATE DATABASE "${database}"`],
      {
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(`creating ${database}: ${r.stderr}`);
  }
  return {
    url,
    port,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
