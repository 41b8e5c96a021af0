/** Reading item catalogues from CSV/JSON and turning the store's verdict into a per-row report. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { isValidationList, OpsError } from "./api.js";

/** The fields of a store item, as the store's import API takes them. */
export const ITEM_FIELDS = ["name", "description", "logo_url", "balance", "price_penny", "category"] as const;
/** The store's limit for one all-or-nothing import. */
export const MAX_IMPORT_ROWS = 5000;
/** Request bodies through nginx and the store's JSON parser are limited to 1 MB (1,048,576 bytes). */
export const MAX_IMPORT_BYTES = 1_048_576 - 1024;

export type ItemRow = Record<string, unknown>;

export interface SourceRows {
  rows: ItemRow[];
  /** Human row label per row: the CSV line number, or the JSON array index (1-based). */
  labels: string[];
}

export interface RejectedRow {
  row: string;
  field: string;
  problem: string;
}

/**
 * Reads a CSV (header line with the item fields; `,` or `;`) or JSON (an array of items, or `{"items": [...]}`)
 * file. Numbers may be digit strings (the store accepts them). Unknown columns are refused, so a typo in a
 * header cannot silently drop a field.
 */
export function readItemsFile(file: string, format?: "csv" | "json"): SourceRows {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new OpsError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const kind = format ?? (path.extname(file).toLowerCase() === ".json" ? "json" : "csv");
  return kind === "json" ? parseItemsJson(text) : parseItemsCsv(text);
}

export function parseItemsJson(text: string): SourceRows {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new OpsError(`not valid JSON: ${(err as Error).message}`);
  }
  const rows = Array.isArray(data) ? data : (data as { items?: unknown })?.items;
  if (!Array.isArray(rows)) throw new OpsError('JSON must be an array of items or {"items": [...]}');
  for (const [i, r] of rows.entries())
    if (!r || typeof r !== "object" || Array.isArray(r)) throw new OpsError(`item ${i + 1} is not an object`);
  return { rows: rows as ItemRow[], labels: rows.map((_, i) => `item ${i + 1}`) };
}

export function parseItemsCsv(text: string): SourceRows {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      columns: (header: string[]) => header.map((h) => h.trim()),
      delimiter: [",", ";"],
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (err) {
    throw new OpsError(`not valid CSV: ${(err as Error).message}`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((h) => !(ITEM_FIELDS as readonly string[]).includes(h));
  if (unknown.length)
    throw new OpsError(
      `unknown CSV column(s) ${unknown.join(", ")}; the columns are ${ITEM_FIELDS.join(", ")}`,
    );
  return {
    rows: records.map(({ record }) => record),
    labels: records.map(({ info }) => `line ${info.lines}`),
  };
}

/** Rows the store refused (its 422 list names `["body", "items", <index>, <field>]`), in file order. */
export function rejectedRows(detail: unknown, labels: string[]): RejectedRow[] | null {
  if (!isValidationList(detail)) return null;
  const out: RejectedRow[] = [];
  for (const issue of detail) {
    const [where, list, index, ...field] = issue.loc;
    if (where !== "body" || list !== "items" || typeof index !== "number") {
      out.push({ row: "(all)", field: issue.loc.slice(1).join("."), problem: issue.msg });
      continue;
    }
    out.push({
      row: labels[index] ?? `item ${index + 1}`,
      field: field.join(".") || "(row)",
      problem: issue.msg,
    });
  }
  return out;
}
