import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { applyMigrations } from "../prisma.js";

export interface TestDatabase {
  url: string;
  name: string;
  drop: () => Promise<void>;
}

function hashMigrations(dir: string): string {
  const hash = createHash("sha256");
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(entry).update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest("hex").slice(0, 12);
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

/**
 * A fresh database for one test file, cloned from a template that has every migration applied. The template
 * is built once per migration set (guarded by an advisory lock so parallel test files don't race), so each
 * test file pays only for `CREATE DATABASE ... TEMPLATE`, which takes milliseconds.
 */
export async function createTestDatabase(opts: {
  serviceDir: string;
  databaseUrl: string;
}): Promise<TestDatabase> {
  const base = new URL(opts.databaseUrl).pathname.replace(/^\//, "");
  const adminUrl = withDatabase(opts.databaseUrl, "postgres");
  const template = `${base}_tpl_${hashMigrations(path.join(opts.serviceDir, "prisma", "migrations"))}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [template]);
    try {
      const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
      if (!rowCount) {
        const building = `${template}_building`;
        await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${building}"`);
        await applyMigrations(opts.serviceDir, withDatabase(opts.databaseUrl, building));
        await admin.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
      }
    } finally {
      await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [template]);
    }
    const name = `${base}_test_${randomBytes(5).toString("hex")}`;
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    return {
      name,
      url: withDatabase(opts.databaseUrl, name),
      drop: async () => {
        const c = new pg.Client({ connectionString: adminUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
