/**
 * The output half of a connection: whole messages written in order, with a bound on what
 * is queued that producers (and the input half) wait on.
 *
 * @module
 */

/** Where an {@linkcode Output} writes; a `Deno.Conn` is one. */
export interface ByteWriter {
  /** Writes some of `p`, returning how many bytes were taken. */
  write(p: Uint8Array): Promise<number>;
}

const WRITE_BUFFER = 1 << 18;
/** Characters of short messages joined into one string to encode; bounded, never the queue. */
const JOIN_LENGTH = 1 << 16;
const RESOLVED: Promise<void> = Promise.resolve();
const encoder = new TextEncoder();

/**
 * An ordered write queue. Messages are queued as they are (one or several pieces each,
 * never joined into one string: a queue of 500 MB would be longer than V8's longest
 * string), encoded into one reused buffer (runs of short pieces joined up to 64 Ki
 * characters first, so that a flood of small messages is not an encode per message), and
 * written in order.
 *
 * A write that fails ends the output for good: `onBroken` is told once, and everything
 * queued or sent later is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Output } from "./output.ts";
 * const written: number[] = [];
 * const output = new Output({ write: (p) => Promise.resolve(written.push(...p) && p.length) }, {
 *   highWaterMark: 2,
 *   onBroken: () => {},
 * });
 * output.send("[1,");
 * output.send("2]\n");
 * assert(output.over);
 * await output.flush();
 * assert(new TextDecoder().decode(new Uint8Array(written)) === "[1,2]\n" && !output.over);
 * ```
 */
export class Output {
  #writer: ByteWriter;
  #highWaterMark: number;
  #onBroken: (error: unknown) => void;
  #scratch = new Uint8Array(WRITE_BUFFER);
  #queue: string[] = [];
  #queued = 0;
  #writing: Promise<void> | null = null;
  #waiters: (() => void)[] = [];
  #ended = false;

  /**
   * @param writer Where the bytes go.
   * @param options `highWaterMark`: characters queued above which {@linkcode Output.over}
   *   is true; `onBroken`: told of the first write that fails.
   */
  constructor(
    writer: ByteWriter,
    options: { highWaterMark: number; onBroken: (error: unknown) => void },
  ) {
    this.#writer = writer;
    this.#highWaterMark = options.highWaterMark;
    this.#onBroken = options.onBroken;
  }

  /** Characters queued and not yet written. */
  get queuedCharacters(): number {
    return this.#queued;
  }

  /** Whether more than the high-water mark is queued. */
  get over(): boolean {
    return this.#queued > this.#highWaterMark;
  }

  /** Whether output has ended (a failed write, or {@linkcode Output.end}). */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Queues a piece; pieces sent one after another in one turn form one message.
   *
   * @param piece Text to write.
   * @param now Write it at once when nothing is being written, instead of after the
   *   microtasks already queued: for an answer that the peer waits on alone (a ping's).
   * @default {now} false
   */
  send(piece: string, now = false): void {
    if (this.#ended || piece.length === 0) return;
    this.#queue.push(piece);
    this.#queued += piece.length;
    if (this.#writing === null) this.#writing = this.#drain(now);
  }

  /** Resolves once the queue is down to half its high-water mark (at once if it is). */
  writable(): Promise<void> {
    return this.#queued > this.#highWaterMark / 2 && this.#writing !== null
      ? new Promise((resolve) => this.#waiters.push(resolve))
      : RESOLVED;
  }

  /** Resolves once everything queued so far has been written (or output has ended). */
  flush(): Promise<void> {
    return this.#writing ?? RESOLVED;
  }

  /** Drops what is queued and every later piece; waiters are released. */
  end(): void {
    this.#ended = true;
    this.#queue = [];
    this.#queued = 0;
    this.#release();
  }

  async #drain(now: boolean): Promise<void> {
    const scratch = this.#scratch;
    try {
      // Started by the first piece, but run after the microtasks already queued: the pieces
      // they send (the rest of an import's slice) leave in the same write, not in a second
      // one after a write of the first piece alone. Not for an answer sent `now`: a ping's
      // would wait a microtask, and the log's write to stderr, before it leaves.
      if (!now) await RESOLVED;
      while (this.#queue.length > 0) {
        const queue = this.#queue;
        this.#queue = [];
        let filled = 0;
        if (queue.length === 1 && queue[0].length * 3 <= WRITE_BUFFER) {
          // One message that surely fits (a ping's answer): encoded at once, without the
          // joining and freeing that a queue of many needs.
          filled = encoder.encodeInto(queue[0], scratch).written;
          this.#queued -= queue[0].length;
        }
        for (let k = filled === 0 ? 0 : 1; k < queue.length;) {
          // Short messages are joined before they are encoded: an encode of its own for each
          // of an import's 20,000 notifications was a fifth of the import's time.
          let end = k + 1;
          let length = queue[k].length;
          while (end < queue.length && length + queue[end].length <= JOIN_LENGTH) {
            length += queue[end++].length;
          }
          const piece = end === k + 1 ? queue[k] : queue.slice(k, end).join("");
          queue.fill("", k, end); // A 9 MB answer is freed once encoded, not when the batch is.
          k = end;
          for (let done = 0; done < piece.length;) {
            const { read, written } = encoder.encodeInto(
              done === 0 ? piece : piece.slice(done),
              filled === 0 ? scratch : scratch.subarray(filled),
            );
            done += read;
            filled += written;
            if (done < piece.length) {
              await this.#write(filled);
              if (this.#ended) return;
              filled = 0;
            }
          }
          this.#queued -= length;
        }
        // Written here, not through #write: an async call of its own per drain is a
        // promise more for every message of a ping-pong.
        for (let offset = 0; offset < filled;) {
          offset += await this.#writer.write(scratch.subarray(offset, filled));
        }
        if (this.#ended) return;
        if (this.#queued <= this.#highWaterMark / 2) this.#release();
      }
    } catch (error) {
      if (!this.#ended) {
        this.end();
        this.#onBroken(error);
      }
    } finally {
      this.#writing = null;
      this.#release();
    }
  }

  async #write(length: number): Promise<void> {
    for (let offset = 0; offset < length;) {
      offset += await this.#writer.write(this.#scratch.subarray(offset, length));
    }
  }

  #release(): void {
    // Called twice per drain, nearly always with no one waiting: no new array then.
    if (this.#waiters.length === 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
