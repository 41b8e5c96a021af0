import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import DataLoader from "dataloader";
import pg from "pg";
import { loadStackEnv } from "./stack-env.js";

/**
 * Time limits of a running service's database pool. Without them one Postgres restart under load leaked every
 * pool connection for good (see `guardTransactions`) and requests then waited for a free connection forever.
 */
export const DB_TIMEOUTS = {
  /** Waiting for a pool slot or a new connection: fail fast (503 "Database unavailable"), never hang. */
  connectMs: 5_000,
  /** Idle connections are closed after this, so a restarted Postgres is reconnected with fresh sockets. */
  idleMs: 10_000,
  /** Server-side cap of one statement (lock waits included). */
  statementMs: 30_000,
  /** Client-side cap of one query, for a server that stops answering without closing the socket. */
  queryMs: 35_000,
  /** The server ends a transaction whose client went quiet (a crashed or leaked interactive transaction). */
  idleInTransactionMs: 60_000,
} as const;

/**
 * Splits a postgres URL into discrete pg settings. The patched adapter needs them discrete: a
 * `connectionString` would override the shadow database name during `migrate dev`. `runtime` adds the time
 * limits of a serving process (the Prisma CLI runs migrations without them: an index build may take long).
 * URL parameters `connection_limit` (pool size) and `pool_timeout` (seconds) are honoured as in Prisma.
 */
export function pgConfigFromUrl(databaseUrl: string, opts: { runtime?: boolean } = {}): pg.PoolConfig {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new Error("DATABASE_URL must name a database");
  const config: pg.PoolConfig = {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    max: Number(url.searchParams.get("connection_limit") ?? 10),
  };
  if (!opts.runtime) return config;
  const poolTimeoutS = url.searchParams.get("pool_timeout");
  return {
    ...config,
    connectionTimeoutMillis: poolTimeoutS ? Number(poolTimeoutS) * 1000 : DB_TIMEOUTS.connectMs,
    idleTimeoutMillis: DB_TIMEOUTS.idleMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    statement_timeout: DB_TIMEOUTS.statementMs,
    query_timeout: DB_TIMEOUTS.queryMs,
    idle_in_transaction_session_timeout: DB_TIMEOUTS.idleInTransactionMs,
    // No JIT compilation for our statements: they are short OLTP statements, but the planner's estimates for
    // unnest() of a batch's arrays pass jit_above_cost, and Postgres then compiled the store's purchase batch on
    // every execution (Postgres CPU per purchase 526 µs with JIT, 158 µs without: docs/benchmarks.md).
    options: "-c jit=off",
  };
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;
type Query = Parameters<Transaction["executeRaw"]>[0];

const ENDS_TRANSACTION = /^\s*(COMMIT|ROLLBACK)\b/i;

/**
 * Prisma ends an interactive transaction by sending COMMIT/ROLLBACK and only then telling the adapter to
 * release its pool connection; when that statement fails (the connection died with Postgres) the release never
 * happens and the connection is lost to the pool for good. After max (10) such losses every request waits for
 * a connection forever. This wrapper destroys the connection instead whenever COMMIT/ROLLBACK fails (its state
 * is unknown), and makes the later commit()/rollback() calls harmless.
 */
function guardTransaction(tx: Transaction): Transaction {
  const client = (tx as unknown as { client: pg.PoolClient }).client;
  let released = false;
  const destroy = (err: unknown) => {
    if (released) return;
    released = true;
    client.release(err instanceof Error ? err : new Error(String(err)));
  };
  const run = async <T>(query: Query, io: () => Promise<T>): Promise<T> => {
    try {
      return await io();
    } catch (err) {
      if (ENDS_TRANSACTION.test(query.sql)) destroy(err);
      throw err;
    }
  };
  return {
    get provider() {
      return tx.provider;
    },
    get adapterName() {
      return tx.adapterName;
    },
    get options() {
      return tx.options;
    },
    queryRaw: (query) => run(query, () => tx.queryRaw(query)),
    executeRaw: (query) => run(query, () => tx.executeRaw(query)),
    commit: async () => {
      if (released) return;
      released = true;
      await tx.commit();
    },
    rollback: async () => {
      if (released) return;
      released = true;
      await tx.rollback();
    },
  };
}

/**
 * The pool of a serving process (the time limits above). Prisma's adapter and a repository's prepared hot-path
 * queries (`preparedQuery`) share it, so the service holds one set of connections.
 */
export function createPgPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool(pgConfigFromUrl(databaseUrl, { runtime: true }));
  // An idle connection that dies (Postgres restarted) is dropped by the pool; without a listener it would crash us.
  pool.on("error", () => {});
  return pool;
}

/** The pg driver adapter for a serving process: time limits on the pool and leak-proof transactions. */
export function createPgAdapter(databaseUrlOrPool: string | pg.Pool) {
  const factory = new PrismaPg(
    typeof databaseUrlOrPool === "string"
      ? pgConfigFromUrl(databaseUrlOrPool, { runtime: true })
      : databaseUrlOrPool,
  );
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => guardTransaction(await start(isolationLevel));
    return adapter;
  };
  return factory;
}

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
    adapter: async () => new PrismaPg(pgConfigFromUrl(databaseUrl)),
  } as const;
}

/** A failed prepared query (its pg error is the cause): `unavailableDependency` reads connection failures in it. */
export class PgQueryError extends Error {
  override name = "PgQueryError";
  constructor(
    readonly query: string,
    cause: unknown,
  ) {
    super(`${query}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * A query for a hot path, straight on the pg pool as a named prepared statement: Postgres parses and plans it
 * once per connection, and the call skips Prisma's query compiler and result mapping, which cost several times a
 * primary-key lookup's own CPU in `node --cpu-prof` profiles of base under `pnpm bench` load (docs/benchmarks.md).
 * Rows come with pg's own types (timestamptz as Date). Name the columns: a prepared `SELECT *` fails once a
 * migration changes the table under a running service.
 */
export function preparedQuery<Row, Params extends unknown[]>(
  pool: pg.Pool,
  name: string,
  text: string,
): (...values: Params) => Promise<Row[]> {
  return async (...values) => {
    try {
      return (await pool.query<Row & pg.QueryResultRow>({ name, text, values })).rows;
    } catch (err) {
      throw new PgQueryError(name, err);
    }
  };
}

/**
 * A one-row-per-key lookup for a hot path, batched: the keys asked for while one turn of the event loop handles
 * its ready sockets go to Postgres together, as one prepared `... = ANY($1)` statement, and each caller gets its own
 * row (or null). Under load many requests arrive in the same turn; one round trip for all of them saves the pool
 * hand-off, the socket writes and reads and Postgres' per-statement work for all but the first (dataloader, with
 * its cache off: every call reads the database). `text` takes the keys' array as $1 and must return `keyColumn`.
 */
export function batchedLookup<Row extends object, Key extends string>(
  pool: pg.Pool,
  name: string,
  text: string,
  keyColumn: keyof Row & string,
  /** How a key and the row's key column compare, e.g. lower case for uuids (Postgres answers them so). */
  normalize: (key: string) => string = (key) => key,
): (key: Key) => Promise<Row | null> {
  const query = preparedQuery<Row, [Key[]]>(pool, name, text);
  const loader = new DataLoader<Key, Row | null>(
    async (keys) => {
      const rows = await query([...keys]);
      const byKey = new Map<string, Row>();
      for (const row of rows) byKey.set(normalize(String(row[keyColumn as keyof Row])), row);
      return keys.map((key) => byKey.get(normalize(key)) ?? null);
    },
    // setImmediate runs after the poll phase, i.e. after every socket that was ready in this turn was read.
    { cache: false, batchScheduleFn: (dispatch) => setImmediate(dispatch), maxBatchSize: 256 },
  );
  return (key) => loader.load(key);
}

/**
 * A guarded one-time change for a hot path, batched like `batchedLookup`: the keys asked for in one turn of the
 * event loop go to Postgres as one prepared statement, which must change each key's row at most once and return
 * the keys it changed (e.g. `UPDATE ... WHERE id = ANY($1) AND used = false RETURNING id`, locking the rows in key
 * order so that two batches never deadlock). A caller learns whether its key was changed; when several callers in
 * one batch ask for the same key, only the first is told yes, so of any number of concurrent claims exactly one
 * wins, as with one statement per claim.
 */
export function batchedClaim<Key extends string>(
  pool: pg.Pool,
  name: string,
  text: string,
  keyColumn: string,
  normalize: (key: string) => string = (key) => key,
): (key: Key) => Promise<boolean> {
  const query = preparedQuery<Record<string, unknown>, [string[]]>(pool, name, text);
  const loader = new DataLoader<Key, boolean>(
    async (keys) => {
      const wanted = [...new Set(keys.map((key) => normalize(key)))];
      const changed = new Set((await query(wanted)).map((row) => normalize(String(row[keyColumn]))));
      return keys.map((key) => changed.delete(normalize(key)));
    },
    { cache: false, batchScheduleFn: (dispatch) => setImmediate(dispatch), maxBatchSize: 256 },
  );
  return (key) => loader.load(key);
}

export type PgPool = pg.Pool;

/**
 * A Prisma client over `pool`, carrying the pool as `$pg` for prepared hot-path queries; `$disconnect` releases
 * both (the adapter leaves a pool it was given open).
 */
export function withPgPool<C extends { $disconnect(): Promise<void> }>(
  client: C,
  pool: pg.Pool,
): C & { readonly $pg: pg.Pool } {
  const disconnect = client.$disconnect.bind(client);
  return Object.assign(client, {
    $pg: pool,
    $disconnect: async () => {
      await disconnect();
      if (!pool.ended) await pool.end();
    },
  });
}
