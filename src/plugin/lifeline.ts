/**
 * The lifeline between a launcher and the integration it starts.
 *
 * Galaxy runs the launcher (`plugin.py`), the launcher runs the integration. If Galaxy kills
 * the launcher, Galaxy's socket may stay open, so the integration would never see end of
 * stream and would outlive everything. A launcher that wants its integration to die with it
 * gives it a stdin pipe, writes {@linkcode LIFELINE_MARKER} into it and never closes it: the
 * operating system closes it when the launcher dies, however it dies. The integration then
 * reads end of stdin and ends its session as if Galaxy had closed the socket.
 *
 * Nothing happens without the marker: a plugin started by other means, with a terminal, a
 * `/dev/null` or any other stdin, never ends because of it.
 *
 * @module
 */
import type { ByteReader, Transport } from "../wire/mod.ts";

/**
 * What a launcher writes first on the integration's stdin to turn the lifeline on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LIFELINE_MARKER } from "./lifeline.ts";
 * assert(LIFELINE_MARKER.endsWith("\n"));
 * ```
 */
export const LIFELINE_MARKER = "galaxy-ts lifeline\n";

/** A stdin-like stream: readable, maybe a terminal. */
export interface LifelineInput extends ByteReader {
  /** True when a person types into it: never a lifeline. */
  isTerminal?(): boolean;
}

/**
 * Resolves once `input` ends after carrying {@linkcode LIFELINE_MARKER}; never settles when
 * it does not start with the marker (and then stops reading it).
 *
 * @example
 * ```ts
 * import { LIFELINE_MARKER, lifelineCut } from "./lifeline.ts";
 * const bytes = new TextEncoder().encode(LIFELINE_MARKER);
 * let sent = false;
 * const input = {
 *   read(p: Uint8Array) {
 *     if (sent) return Promise.resolve(null);
 *     sent = true;
 *     p.set(bytes);
 *     return Promise.resolve(bytes.length);
 *   },
 * };
 * await lifelineCut(input); // resolves: the marker came, then end of stream
 * ```
 */
export function lifelineCut(input: LifelineInput = Deno.stdin): Promise<void> {
  try {
    if (input.isTerminal?.()) return new Promise(() => {});
  } catch {
    // Whatever stdin is, treat it as a possible lifeline.
  }
  return read(input);
}

async function read(input: LifelineInput): Promise<void> {
  const marker = new TextEncoder().encode(LIFELINE_MARKER);
  const buf = new Uint8Array(256);
  let matched = 0;
  while (true) {
    let n: number | null;
    try {
      n = await input.read(buf);
    } catch {
      n = null; // A broken pipe is a cut lifeline, once the marker came.
    }
    if (n === null) {
      if (matched === marker.length) return;
      return new Promise(() => {});
    }
    for (let i = 0; i < n && matched < marker.length; i++) {
      if (buf[i] !== marker[matched++]) return new Promise(() => {});
    }
  }
}

/**
 * Wraps `transport` so that its reading ends (end of stream) once `cut` resolves, while
 * writing still works for the answers and notifications of the shutdown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { endWhen } from "./lifeline.ts";
 * const transport = {
 *   read: (_p: Uint8Array) => new Promise<number | null>(() => {}),
 *   write: (p: Uint8Array) => Promise.resolve(p.length),
 *   close() {},
 * };
 * const wrapped = endWhen(transport, Promise.resolve());
 * assert(await wrapped.read(new Uint8Array(1)) === null);
 * ```
 */
export function endWhen(transport: Transport, cut: Promise<void>): Transport {
  // One waiter at a time, woken by the cut: racing every read against the cut promise
  // would leave a reaction on it per read, a leak over a session of millions of reads.
  let isCut = false;
  let wake: ((n: null) => void) | null = null;
  cut.then(() => {
    isCut = true;
    wake?.(null);
    wake = null;
  });
  return {
    read: (p) => {
      if (isCut) return Promise.resolve(null);
      return new Promise<number | null>((resolve, reject) => {
        wake = resolve;
        transport.read(p).then(
          (n) => {
            wake = null;
            resolve(n);
          },
          (error) => {
            wake = null;
            reject(error);
          },
        );
      });
    },
    write: (p) => transport.write(p),
    close: () => transport.close(),
  };
}
