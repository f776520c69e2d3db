/**
 * A small ZIP writer (deflate, UTF-8 names, Unix modes), enough for release zips: the macOS
 * binaries keep their execute bit for unzippers that honour it.
 *
 * @module
 */
import { crc32, deflateRawSync } from "node:zlib";
import { concatBytes } from "../wire/mod.ts";

/** One file of a zip. */
export interface ZipEntry {
  /** Its path inside the zip, `/`-separated. */
  name: string;
  /** Its bytes. */
  data: Uint8Array;
  /** Its Unix permission bits; 0o644 if absent. */
  mode?: number;
}

// 1980-01-01 00:00, the earliest DOS date: the same input always gives the same zip.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * The bytes of a zip holding `entries`, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zip } from "./zip.ts";
 * const bytes = zip([{ name: "a.txt", data: new TextEncoder().encode("hello") }]);
 * assert(new DataView(bytes.buffer).getUint32(0, true) === 0x04034b50);
 * ```
 */
export function zip(entries: readonly ZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : new Uint8Array(deflated);
    const crc = crc32(entry.data) >>> 0;
    const common = (view: DataView, at: number) => {
      view.setUint16(at, 20, true); // version needed: 2.0
      view.setUint16(at + 2, 0x0800, true); // UTF-8 names
      view.setUint16(at + 4, stored ? 0 : 8, true);
      view.setUint16(at + 6, DOS_TIME, true);
      view.setUint16(at + 8, DOS_DATE, true);
      view.setUint32(at + 10, crc, true);
      view.setUint32(at + 14, body.length, true);
      view.setUint32(at + 18, entry.data.length, true);
      view.setUint16(at + 22, name.length, true);
      view.setUint16(at + 24, 0, true); // no extra field
    };
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    common(lv, 4);
    local.set(name, 30);
    const header = new Uint8Array(46 + name.length);
    const cv = new DataView(header.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, (3 << 8) | 20, true); // made by Unix, so the mode below counts
    common(cv, 6);
    cv.setUint16(32, 0, true); // no comment
    cv.setUint16(34, 0, true); // disk 0
    cv.setUint16(36, 0, true); // internal attributes
    cv.setUint32(38, ((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, true);
    cv.setUint32(42, offset, true);
    header.set(name, 46);
    parts.push(local, body);
    central.push(header);
    offset += local.length + body.length;
  }
  const size = central.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, size, true);
  ev.setUint32(16, offset, true);
  return concatBytes([...parts, ...central, end]);
}
