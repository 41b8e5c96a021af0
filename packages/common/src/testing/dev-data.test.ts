import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, loadStackEnv } from "../stack-env.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { devDataChanges, devDataFingerprint } from "./dev-data.js";

/** The guard's fingerprint, over throwaway copies of the three service databases standing in for the dev ones. */
describe("development-data fingerprint", () => {
  const env: Record<string, string> = { ...loadStackEnv() };
  const dbs: TestDatabase[] = [];
  let store: pg.Client;
  beforeAll(async () => {
    for (const name of ["base", "store", "face"]) {
      const key = `${name.toUpperCase()}_DATABASE_URL`;
      const db = await createTestDatabase({
        serviceDir: path.join(REPO_ROOT, "services", name),
        databaseUrl: env[key]!,
      });
      dbs.push(db);
      env[key] = db.url;
    }
    store = new pg.Client({ connectionString: env.STORE_DATABASE_URL });
    await store.connect();
  });
  afterAll(async () => {
    await store?.end();
    for (const db of dbs) await db.drop();
  });

  it("is stable while nothing changes, and names the table when a row is added, changed or removed", async () => {
    const empty = await devDataFingerprint(env);
    expect(empty["store.stores"]).toEqual({ rows: 0, hash: "", each: [] });
    expect(devDataChanges(empty, await devDataFingerprint(env))).toEqual([]);

    await store.query(
      `INSERT INTO stores (id, name, description, logo_url, store_type) VALUES ($1, 'Probe', '', 'x.png', 'SHOP')`,
      ["00000000-0000-4000-8000-000000000001"],
    );
    const one = await devDataFingerprint(env);
    expect(devDataChanges(empty, one)).toEqual([
      expect.stringMatching(
        /^store\.stores: 0 rows -> 1 rows; added \["00000000-0000-4000-8000-000000000001", "Probe"/,
      ),
    ]);

    await store.query(`UPDATE stores SET name = 'Probe 2'`);
    expect(devDataChanges(one, await devDataFingerprint(env))).toEqual([
      expect.stringMatching(/^store\.stores: 1 rows -> 1 rows; added .*"Probe 2".*; removed .*"Probe"/),
    ]);

    await store.query(`DELETE FROM stores`);
    expect(devDataChanges(empty, await devDataFingerprint(env))).toEqual([]);
  });
});
