// Failing cases as files: what `deno task fuzz` saves and the test suite replays.
import { gunzipSync, gzipSync } from "node:zlib";
import { Buffer } from "node:buffer";
import type { FuzzCase, Kind } from "./generate.ts";

/** The folder the replay test reads. */
export const CASES_DIR: URL = new URL("./cases/", import.meta.url);

/** A saved failure: the case that showed it, after the case before it (late answers). */
export interface SavedCase {
  seed: number | null;
  index: number | null;
  /** What went wrong when it was found, and what was fixed. */
  problem: string;
  cases: FuzzCase[];
}

interface StoredCase {
  kind: Kind;
  /** Each write as base64, gzipped first when it is large ("gz:" prefix). */
  writes: string[];
  refresh?: string[];
}

const GZIP_ABOVE = 4096;

function encodeBytes(bytes: Uint8Array): string {
  return bytes.length > GZIP_ABOVE
    ? "gz:" + Buffer.from(gzipSync(bytes)).toString("base64")
    : Buffer.from(bytes).toString("base64");
}

function decodeBytes(text: string): Uint8Array {
  if (text.startsWith("gz:")) {
    return new Uint8Array(gunzipSync(Buffer.from(text.slice(3), "base64")));
  }
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** The file's text for `saved`. */
export function serializeCase(saved: SavedCase): string {
  const cases: StoredCase[] = saved.cases.map((c) => ({
    kind: c.kind,
    writes: c.writes.map(encodeBytes),
    ...(c.refresh ? { refresh: c.refresh } : {}),
  }));
  return JSON.stringify({ ...saved, cases }, null, 1) + "\n";
}

/** Reads a saved case file's text. */
export function parseCase(text: string): SavedCase {
  const raw = JSON.parse(text) as Omit<SavedCase, "cases"> & { cases: StoredCase[] };
  return {
    ...raw,
    cases: raw.cases.map((c) => ({
      kind: c.kind,
      writes: c.writes.map(decodeBytes),
      ...(c.refresh ? { refresh: c.refresh } : {}),
    })),
  };
}

/** Every saved case, by file name. */
export async function loadCases(dir: URL = CASES_DIR): Promise<[string, SavedCase][]> {
  const out: [string, SavedCase][] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      out.push([entry.name, parseCase(await Deno.readTextFile(new URL(entry.name, dir)))]);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort(([a], [b]) => a.localeCompare(b));
}

/** Writes a failure into `dir`; returns the file's path. */
export async function saveCase(saved: SavedCase, dir: URL = CASES_DIR): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const name = `seed${saved.seed}-case${saved.index}.json`;
  const url = new URL(name, dir);
  await Deno.writeTextFile(url, serializeCase(saved));
  return url.pathname;
}
