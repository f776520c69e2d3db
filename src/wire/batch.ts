/**
 * Batches (JSON-RPC 2.0 §6): the answers to the requests of one batch, sent as one array
 * once the last is in.
 *
 * @module
 */

/** Takes one answer line (ending in `\n`), or `null` for a message that is not answered. */
export type Reply = (line: string | null) => void;

/**
 * Collects the answers of a batch of `size` messages and sends them, in the order they came
 * in, as one array: piece by piece, so that no string of all of them is ever built.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Batch } from "./batch.ts";
 * const pieces: string[] = [];
 * const batch = new Batch(3, (piece) => pieces.push(piece));
 * const [a, b, c] = [batch.reply(), batch.reply(), batch.reply()];
 * b(null);
 * c('{"id":2}\n');
 * a('{"id":1}\n');
 * assert(pieces.join("") === '[{"id":2},{"id":1}]\n');
 * ```
 */
export class Batch {
  #answers: string[] = [];
  #outstanding: number;
  #send: (piece: string) => void;

  /**
   * @param size Messages in the batch.
   * @param send Queues one piece of output.
   */
  constructor(size: number, send: (piece: string) => void) {
    this.#outstanding = size;
    this.#send = send;
  }

  /** The reply of one message of the batch; only its first call counts. */
  reply(): Reply {
    let settled = false;
    return (line) => {
      if (settled) return;
      settled = true;
      if (line !== null) this.#answers.push(line);
      if (--this.#outstanding > 0 || this.#answers.length === 0) return;
      this.#send("[");
      this.#answers.forEach((answer, k) => {
        if (k > 0) this.#send(",");
        this.#send(answer.endsWith("\n") ? answer.slice(0, -1) : answer);
      });
      this.#send("]\n");
      this.#answers = [];
    };
  }
}
