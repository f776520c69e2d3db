/**
 * Newline-delimited framing over a byte stream, with no limit on a line's length.
 *
 * @module
 */
import { concatBytes } from "./bytes.ts";

/**
 * Anything with Deno.Conn's `read`: fills `p` and returns the count, or null at end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ByteReader } from "./line_reader.ts";
 * const empty: ByteReader = { read: () => Promise.resolve(null) };
 * assert((await empty.read(new Uint8Array(1))) === null);
 * ```
 */
export interface ByteReader {
  /** Reads up to `p.length` bytes into `p`. */
  read(p: Uint8Array): Promise<number | null>;
}

const NEWLINE = 10;
const READ_SIZE = 1 << 20;

/**
 * Reads `reader` to its end and calls `onLine` with every line, without its `\n`.
 *
 * A line split across reads is kept as a list of pieces and joined once when its end
 * arrives, so a line of n bytes costs O(n) however it was cut. The bytes passed to
 * `onLine` are only valid during the call. A last line without `\n` is delivered at end
 * of stream. Reading stops early when `onLine` returns `false`. After each line, `wait`
 * may return a promise to await before the next line (and the next read): backpressure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLines } from "./line_reader.ts";
 * const chunks = [new TextEncoder().encode("a\nb"), new TextEncoder().encode("c\n")];
 * const reader = {
 *   read(p: Uint8Array) {
 *     const c = chunks.shift();
 *     if (!c) return Promise.resolve(null);
 *     p.set(c);
 *     return Promise.resolve(c.length);
 *   },
 * };
 * const lines: string[] = [];
 * await readLines(reader, (l) => void lines.push(new TextDecoder().decode(l)));
 * assert(lines.join() === "a,bc");
 * ```
 */
export async function readLines(
  reader: ByteReader,
  onLine: (line: Uint8Array) => boolean | void,
  wait?: () => Promise<void> | undefined,
): Promise<void> {
  const buf = new Uint8Array(READ_SIZE);
  let pieces: Uint8Array[] = [];
  let pending = 0;
  while (true) {
    const n = await reader.read(buf);
    if (n === null) break;
    const view = buf.subarray(0, n);
    let start = 0;
    let nl = view.indexOf(NEWLINE);
    while (nl >= 0) {
      let line: Uint8Array = view.subarray(start, nl);
      if (pieces.length > 0) {
        pieces.push(line);
        line = concatBytes(pieces, pending + line.length);
        pieces = [];
        pending = 0;
      }
      start = nl + 1;
      if (onLine(line) === false) return;
      const waiting = wait?.();
      // The buffer is not read into again before this loop is done: `view` stays valid.
      if (waiting) await waiting;
      nl = view.indexOf(NEWLINE, start);
    }
    if (start < n) {
      // The buffer is reused by the next read, so the unfinished tail must be copied.
      pieces.push(view.slice(start));
      pending += n - start;
    }
  }
  if (pieces.length > 0) onLine(concatBytes(pieces, pending));
}
