/**
 * An in-memory byte stream with two ends, for serving a plugin without a socket.
 *
 * @module
 */
import type { Transport } from "../wire/mod.ts";

/** One direction of the pipe: bytes written on one end, read on the other. */
class Channel {
  #chunks: Uint8Array[] = [];
  #waiter: (() => void) | null = null;
  #ended = false;

  push(bytes: Uint8Array): void {
    if (this.#ended) throw new Deno.errors.BrokenPipe("the other end is closed");
    // Copied: the writer may reuse its buffer as soon as write() resolves.
    this.#chunks.push(bytes.slice());
    this.#wake();
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  async read(p: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return null;
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    const head = this.#chunks[0];
    const n = Math.min(p.length, head.length);
    p.set(head.subarray(0, n));
    if (n === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    return n;
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }
}

class End implements Transport {
  #in: Channel;
  #out: Channel;

  constructor(incoming: Channel, outgoing: Channel) {
    this.#in = incoming;
    this.#out = outgoing;
  }

  read(p: Uint8Array): Promise<number | null> {
    return this.#in.read(p);
  }

  write(p: Uint8Array): Promise<number> {
    try {
      this.#out.push(p);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(p.length);
  }

  close(): void {
    // Like a socket: the peer reads end of stream, and our own pending read ends too.
    this.#out.end();
    this.#in.end();
  }
}

/**
 * Creates a connected pair of in-memory transports: what one end writes, the other reads.
 * Closing either end ends the stream for both, as closing a socket does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryPipe } from "@galaxy-ts/runtime/testing";
 * const [a, b] = memoryPipe();
 * await a.write(new TextEncoder().encode("hi\n"));
 * const buf = new Uint8Array(8);
 * const n = await b.read(buf);
 * assert(new TextDecoder().decode(buf.subarray(0, n!)) === "hi\n");
 * a.close();
 * assert(await b.read(buf) === null);
 * ```
 */
export function memoryPipe(): [Transport, Transport] {
  const ab = new Channel();
  const ba = new Channel();
  return [new End(ba, ab), new End(ab, ba)];
}
