import pg from "pg";
import { need } from "./env.js";

/** Direct SQL for bulk set-up (growth data) and the final stock check; every row it adds is removed again. */
export function pool(service: "BASE" | "STORE" | "FACE"): pg.Pool {
  return new pg.Pool({ connectionString: need(`${service}_DATABASE_URL`), max: 2 });
}

/**
 * Inserts `count` copies of one row of `table`, every column copied except those in `overrides` (SQL
 * expressions over the row `t` and the series number `g`). Copying the column list from the catalogue keeps the
 * bench working when a migration adds columns.
 */
export async function cloneRows(
  db: pg.Pool,
  table: string,
  templateId: string,
  overrides: Record<string, string>,
  count: number,
  offset = 0,
): Promise<void> {
  const { rows } = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
     ORDER BY ordinal_position`,
    [table],
  );
  const columns = rows.map((r) => r.column_name);
  const select = columns.map((c) => overrides[c] ?? `t."${c}"`).join(", ");
  await db.query(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")})
     SELECT ${select} FROM "${table}" t, generate_series($2::int + 1, $2::int + $3::int) g WHERE t.id = $1::uuid`,
    [templateId, offset, count],
  );
}
