/**
 * Readable tables of what an integration answered.
 *
 * @module
 */
import { isRecord } from "../../log/mod.ts";

const MAX_ROWS = 20;
const MAX_CELL = 48;

function cell(value: unknown): string {
  let text: string;
  if (value === undefined || value === null) text = "";
  else if (typeof value !== "object") text = String(value);
  else if (Array.isArray(value)) {
    text = value.every((x) => typeof x !== "object")
      ? value.join(", ")
      : `${value.length} item${value.length === 1 ? "" : "s"}`;
  } else {
    // One-field objects (licenseInfo → licenseType) read best as their one value.
    const entries = Object.entries(value);
    text = entries.length === 1 ? cell(entries[0][1]) : JSON.stringify(value);
  }
  return text.length > MAX_CELL ? text.slice(0, MAX_CELL - 1) + "…" : text;
}

/**
 * Lays out records as an aligned text table, one column per field found, at most 20 rows
 * (then a line saying how many more there are).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./format.ts";
 * const text = table([{ gameId: "1", gameTitle: "One", licenseInfo: { licenseType: "FreeToPlay" } }]);
 * assert(text.split("\n")[1].includes("FreeToPlay"));
 * ```
 */
export function table(records: readonly Record<string, unknown>[]): string {
  if (records.length === 0) return "(none)";
  const columns: string[] = [];
  for (const record of records.slice(0, MAX_ROWS)) {
    for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
  }
  const rows = records.slice(0, MAX_ROWS).map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  const out = [line(columns), ...rows.map(line)];
  if (records.length > MAX_ROWS) out.push(`… and ${records.length - MAX_ROWS} more`);
  return out.join("\n");
}

/**
 * The rows of a batched import's result: one per id, the id first, then the value's fields
 * (or the value itself when it is not a record).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importRows } from "./format.ts";
 * const rows = importRows("gameId", { g1: 5, g2: null }, {});
 * assert(rows[0].gameId === "g1" && rows[0].value === 5);
 * ```
 */
export function importRows(
  idName: string,
  values: Record<string, unknown>,
  errors: Record<string, { code: number; message: string }>,
): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [id, value] of Object.entries(values)) {
    if (isRecord(value)) {
      // Records that carry their id already (game times…) need no second id column.
      rows.push(Object.values(value).includes(id) ? { ...value } : { [idName]: id, ...value });
    } else if (Array.isArray(value)) {
      rows.push({ [idName]: id, count: value.length, first: value[0] });
    } else rows.push({ [idName]: id, value });
  }
  for (const [id, error] of Object.entries(errors)) {
    rows.push({ [idName]: id, error: `${error.code} ${error.message}` });
  }
  return rows;
}

/** A size in bytes, readable. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
