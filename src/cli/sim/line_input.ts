/**
 * Lines typed by the user, read one at a time on demand.
 *
 * @module
 */

/**
 * Reads a stream line by line, each `next()` waiting for one more line; null at its end.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineInput } from "./line_input.ts";
 * const input = new LineInput(ReadableStream.from([new TextEncoder().encode("a\nb")]));
 * assert(await input.next() === "a");
 * assert(await input.next() === "b");
 * assert(await input.next() === null);
 * ```
 */
export class LineInput {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #done = false;

  /** Reads from `stream` (usually `Deno.stdin.readable`). */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next line without its line ending, or null when the input has ended. */
  async next(): Promise<string | null> {
    while (true) {
      const nl = this.#buffer.indexOf("\n");
      if (nl >= 0) {
        const line = this.#buffer.slice(0, nl).replace(/\r$/, "");
        this.#buffer = this.#buffer.slice(nl + 1);
        return line;
      }
      if (this.#done) {
        if (this.#buffer === "") return null;
        const last = this.#buffer;
        this.#buffer = "";
        return last;
      }
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += value;
    }
  }

  /** Stops reading. */
  close(): void {
    this.#reader.cancel().catch(() => {});
  }
}
