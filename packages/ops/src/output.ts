import Table from "cli-table3";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether progress bars may be drawn (stderr is a terminal). */
  progress: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  progress: Boolean(process.stderr.isTTY),
};

export type Row = Record<string, unknown>;

const cell = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);

/** Rows as a table (columns in the given order), or as JSON with --json. */
export function printRows(io: Io, json: boolean, rows: Row[], columns: string[]): void {
  if (json) return io.out(JSON.stringify(rows, null, 2));
  if (!rows.length) return io.out("(none)");
  const table = new Table({ head: columns, style: { head: [], border: [] } });
  for (const r of rows) table.push(columns.map((c) => cell(r[c])));
  io.out(table.toString());
}

/** One object as a two-column table, or as JSON with --json. */
export function printObject(io: Io, json: boolean, obj: Row): void {
  if (json) return io.out(JSON.stringify(obj, null, 2));
  const table = new Table({ style: { head: [], border: [] } });
  for (const [k, v] of Object.entries(obj)) table.push({ [k]: cell(v) });
  io.out(table.toString());
}
