import { createHash } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { loadStackEnv } from "../stack-env.js";

/**
 * A fingerprint of the development databases the stack serves (rail_base, rail_store, rail_face and the
 * Keycloak realm's users): per table, the row count and a hash of every row's content. Suites that run against
 * the shared stack (e2e, reliability) take one before and one after and must leave them equal: tests clean up
 * what they create, or use databases of their own.
 *
 * Left out, because they change by design: Prisma's migration table, the audit log (append-only by a trigger: an
 * admin action of a test is recorded for good) with its intents and the store's outbox, and columns that record activity rather than data
 * (a robot's or terminal's `last_login_at`, a signing key's `codes_valid_until`, see IGNORED_COLUMNS).
 */
export type DevDataFingerprint = Record<
  string,
  {
    rows: number;
    hash: string;
    /** Each row as [md5 of its content, its first characters], so that a difference can show the rows. */
    each: [string, string][];
  }
>;

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

/** The audit trail: append-only, plus its in-flight machinery (an intent, a store entry not yet delivered to base). */
const IGNORED_TABLES = new Set(["_prisma_migrations", "audit_log", "audit_intents", "audit_outbox"]);
/** Columns that record activity (a login, a key's last use), not data: a test may bump them. */
const IGNORED_COLUMNS: Record<string, string[]> = {
  robots: ["last_login_at"],
  active_stores: ["last_login_at"],
  // How long the key must stay published: signing any ticket's code (a robot's check, the passenger's QR) moves it.
  ticket_signing_keys: ["codes_valid_until"],
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function summarise(each: [string, string][]): DevDataFingerprint[string] {
  each.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { rows: each.length, hash: each.length ? md5(each.map((e) => e[0]).join("")) : "", each };
}

async function fingerprintDatabase(url: string, prefix: string, out: DevDataFingerprint): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    for (const { table_name: table } of tables) {
      if (IGNORED_TABLES.has(table)) continue;
      const { rows: columns } = await db.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const kept = columns
        .map((c) => c.column_name)
        .filter((c) => !(IGNORED_COLUMNS[table] ?? []).includes(c));
      const row = `json_build_array(${kept.map(quote).join(", ")})::text`;
      const { rows } = await db.query<{ md5: string; preview: string }>(
        `SELECT md5(r.t) AS md5, left(r.t, 160) AS preview FROM (SELECT ${row} AS t FROM ${quote(table)}) r`,
      );
      out[`${prefix}.${table}`] = summarise(rows.map((r) => [r.md5, r.preview]));
    }
  } finally {
    await db.end();
  }
}

/** Keycloak's users of the realm (registrations by browser tests), by id. */
async function fingerprintKeycloak(url: string, realm: string, out: DevDataFingerprint): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ md5: string; preview: string }>(
      `SELECT md5(u.id || u.username) AS md5, u.username AS preview
         FROM user_entity u JOIN realm r ON r.id = u.realm_id WHERE r.name = $1`,
      [realm],
    );
    out[`keycloak.${realm}.users`] = summarise(rows.map((r) => [r.md5, r.preview]));
  } catch (err) {
    // Keycloak creates its schema on first start; before that there is nothing to compare.
    if ((err as { code?: string }).code !== "42P01") throw err;
  } finally {
    await db.end();
  }
}

const withDatabase = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

export async function devDataFingerprint(
  env: Record<string, string | undefined>,
): Promise<DevDataFingerprint> {
  const out: DevDataFingerprint = {};
  for (const [prefix, key] of [
    ["base", "BASE_DATABASE_URL"],
    ["store", "STORE_DATABASE_URL"],
    ["face", "FACE_DATABASE_URL"],
  ] as const) {
    const url = env[key];
    if (!url) throw new Error(`${key} is not set`);
    await fingerprintDatabase(url, prefix, out);
  }
  await fingerprintKeycloak(
    withDatabase(env.BASE_DATABASE_URL!, "keycloak"),
    env.KEYCLOAK_REALM ?? "railway",
    out,
  );
  return out;
}

/**
 * The tables whose rows differ, e.g. `store.stores: 2 rows -> 3 rows; added ["…","E2E kiosk 1a2b3c4d",…]`, with up
 * to three added and removed rows each (empty when equal).
 */
export function devDataChanges(before: DevDataFingerprint, after: DevDataFingerprint): string[] {
  const changes: string[] = [];
  for (const table of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[table];
    const b = after[table];
    if (a?.hash === b?.hash && a?.rows === b?.rows) continue;
    const had = new Set((a?.each ?? []).map((e) => e[0]));
    const has = new Set((b?.each ?? []).map((e) => e[0]));
    const added = (b?.each ?? []).filter((e) => !had.has(e[0])).map((e) => e[1]);
    const removed = (a?.each ?? []).filter((e) => !has.has(e[0])).map((e) => e[1]);
    const sample = (rows: string[]) =>
      rows.slice(0, 3).join(" | ") + (rows.length > 3 ? ` | …${rows.length - 3} more` : "");
    changes.push(
      `${table}: ${a?.rows ?? 0} rows -> ${b?.rows ?? 0} rows` +
        (added.length ? `; added ${sample(added)}` : "") +
        (removed.length ? `; removed ${sample(removed)}` : ""),
    );
  }
  return changes;
}

declare module "vitest" {
  export interface ProvidedContext {
    devDataBefore: DevDataFingerprint;
  }
}

/**
 * Global setup of a suite's development-data guard (dev-data-guard.ts): the fingerprint before any test runs.
 * Use as `export { devDataSetup as default } from "@rail/common/testing"`.
 */
export async function devDataSetup(project: TestProject): Promise<void> {
  project.provide("devDataBefore", await devDataFingerprint({ ...loadStackEnv(), ...process.env }));
}
