/**
 * The batched `start_*_import` machinery, driven by one table row per import.
 *
 * @module
 */
import {
  type BatchImportMethod,
  directEncoder,
  type ElementValue,
  type Encoder,
  encoders,
  type GalaxyMethod,
  type HandlerName,
  ImportInProgress,
  listEncoders,
  methodsOf,
  permissionDenial,
  RecordError,
  UnknownError,
} from "../protocol/mod.ts";
import { type Connection, JsonRpcError } from "../wire/mod.ts";
import { getLogger } from "../log/mod.ts";
import { logFailure, unknownError } from "./failure.ts";

const log = getLogger("galaxy.importer");
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Elements started per turn of the event loop in a concurrent import. Smaller than 512
 * since a slice's lines leave in one write: less of each slice lives through a scavenge
 * (a 20,000-id import took a tenth less CPU at 256 than at 512 or 1,024; 128 was slower).
 */
const SLICE = 256;

/** Characters queued for Galaxy above which a concurrent import starts no more elements. */
const QUEUE_LIMIT = 1 << 20;

/**
 * Turns of the event loop for one import run. A message posted to oneself is a task that
 * runs after pending I/O, without the 4 ms clamp of nested timers and without loading
 * Node's timers (which alone costs a bundle's startup several milliseconds).
 */
class Turns {
  #channel = new MessageChannel();
  #resume: (() => void) | null = null;

  constructor() {
    this.#channel.port1.onmessage = () => this.#resume?.();
  }

  /** Resolves on the next turn. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#resume = resolve;
      this.#channel.port2.postMessage(null);
    });
  }

  /** Releases the channel (an open one keeps the process alive). */
  close(): void {
    this.#channel.port1.close();
  }
}

/** One kind of batched import: its entry of the method table, and how to encode a value. */
export interface ImportKind extends BatchImportMethod<HandlerName> {
  /** The request that starts it. */
  readonly method: GalaxyMethod;
  /** The success notification's params for one element's value, checked and encoded. */
  readonly successParams: (id: string, value: unknown) => Record<string, unknown>;
}

/** The encoder of an element's value, as the table describes it. */
function valueEncoder(value: ElementValue): Encoder {
  if ("record" in value) {
    return directEncoder((value.list ? listEncoders : encoders)[value.record]);
  }
  const { min, max } = value;
  return (x) => {
    if (x === undefined || x === null) return null;
    if (!Number.isInteger(x) || (x as number) < min || (x as number) > max) {
      throw new RecordError(`an integer from ${min} to ${max}, or null`, x);
    }
    return x;
  };
}

function successParams(entry: BatchImportMethod): ImportKind["successParams"] {
  // Looked up on the first element: an encoder is compiled when first used, and most
  // integrations run few of the imports (startup compiles none).
  let encoder: Encoder | undefined;
  const encode = (value: unknown) => (encoder ??= valueEncoder(entry.value))(value);
  const { idKey, valueKey } = entry;
  // Stores into an empty object, not a literal with computed keys: V8 builds those through
  // a runtime call per key, which was a tenth of a cold 20,000-id import.
  return entry.successHasId
    ? (id, value) => {
      const params: Record<string, unknown> = {};
      params[idKey] = id;
      params[valueKey] = encode(value);
      return params;
    }
    : (_id, value) => {
      const params: Record<string, unknown> = {};
      params[valueKey] = encode(value);
      return params;
    };
}

/** Every batched import of the protocol (§6), from the method table. */
export const IMPORTS: readonly ImportKind[] = methodsOf("batch").map((entry) => ({
  ...entry,
  successParams: successParams(entry),
}));

// deno-lint-ignore no-explicit-any
type Target = Record<string, (...args: any[]) => any>;

/**
 * Imports that may wait behind a running one of the same kind (§10): enough for a whole
 * library's one-game requests, and a bound on what a misbehaving client can make us hold.
 */
export const QUEUE_BOUND = 10_000;

/**
 * Runs one kind of import for one plugin: prepares the context, then sends a notification
 * per element and the finishing one. A start while one runs is queued (§10, per-game
 * bursts) and runs after it, in arrival order; only a full queue refuses one.
 */
export class Importer {
  readonly kind: ImportKind;
  #target: Target;
  #connection: Connection;
  #bound: number;
  /** The running import's: set from the start of its prepare until its complete hook returns. */
  #controller: AbortController | null = null;
  /** Id lists of accepted imports waiting for the running one, oldest at `#head`. */
  #queue: (string[] | undefined)[] = [];
  #head = 0;
  /** Accepted and not yet started: the queue, and those whose answer is not out yet. */
  #waiting = 0;
  #cancelled = false;
  #sent = 0;
  #failed = 0;

  /**
   * Binds `kind` to the plugin whose methods it calls and the connection it reports on.
   *
   * @param kind The import's entry of the method table.
   * @param target The plugin.
   * @param connection Where its notifications go.
   * @param bound How many imports may wait behind the running one.
   */
  constructor(kind: ImportKind, target: object, connection: Connection, bound = QUEUE_BOUND) {
    this.kind = kind;
    this.#target = target as Target;
    this.#connection = connection;
    this.#bound = bound;
  }

  /**
   * Starts an import and returns the function that runs it, which the caller calls once
   * the request has been answered (so that nothing of the import precedes the answer).
   * When none of this kind runs, the context is prepared first and its error is the
   * request's error. When one runs, the import is accepted at once and queued.
   *
   * @param ids The ids Galaxy asked for.
   * @param signal Aborted when the request is cancelled (shutdown).
   * @returns What to run after the answer (at once when queued, else once prepared).
   * @throws {ImportInProgress} when the queue is full.
   * @throws whatever the plugin's prepare method throws, for an import that did not wait.
   */
  start(ids: string[], signal: AbortSignal): (() => void) | Promise<() => void> {
    if (this.#controller) {
      if (this.#waiting >= this.#bound) throw new ImportInProgress();
      // Counted now, queued once answered: queued work must never precede its answer.
      // Synchronous, without a promise: a burst of thousands costs only their ids.
      this.#waiting++;
      return () => this.#enqueue(ids);
    }
    return this.#prepare(ids, signal);
  }

  async #prepare(ids: string[], signal: AbortSignal): Promise<() => void> {
    const controller = new AbortController();
    this.#controller = controller;
    const abort = () => controller.abort();
    signal.addEventListener("abort", abort, { once: true });
    let context: unknown;
    try {
      context = await this.#target[this.kind.prepare](ids, controller.signal);
    } catch (error) {
      this.#end(controller);
      throw error;
    } finally {
      signal.removeEventListener("abort", abort);
    }
    return () => void this.#run(ids, context, controller);
  }

  /** Cancels the running import and the queued ones: nothing more is sent for any of them. */
  cancel(): void {
    this.#cancelled = true;
    this.#controller?.abort();
    this.#controller = null;
    this.#queue = [];
    this.#head = 0;
    this.#waiting = 0;
  }

  #enqueue(ids: string[]): void {
    if (this.#cancelled) return;
    this.#queue.push(ids);
    this.#next();
  }

  /** Ends the import of `controller`, then starts the oldest queued one, if any. */
  #end(controller: AbortController): void {
    if (this.#controller !== controller) return;
    this.#controller = null;
    this.#next();
  }

  #next(): void {
    if (this.#controller || this.#head === this.#queue.length) return;
    const ids = this.#queue[this.#head]!;
    this.#queue[this.#head++] = undefined;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    this.#waiting--;
    const controller = new AbortController();
    this.#controller = controller;
    void this.#runQueued(ids, controller);
  }

  /** A queued import: its answer is long gone, so a failed prepare fails each of its ids. */
  async #runQueued(ids: string[], controller: AbortController): Promise<void> {
    let context: unknown;
    try {
      context = await this.#target[this.kind.prepare](ids, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      try {
        const wire = this.#errorWire(error, () => `${this.kind.prepare} failed`);
        for (const id of ids) {
          await this.#connection.notify(this.kind.failure, { [this.kind.idKey]: id, error: wire });
        }
        if (!controller.signal.aborted) await this.#connection.notify(this.kind.finished, null);
      } finally {
        this.#end(controller);
      }
      return;
    }
    await this.#run(ids, context, controller);
  }

  async #run(ids: string[], context: unknown, controller: AbortController): Promise<void> {
    const { signal } = controller;
    const started = performance.now();
    this.#sent = 0;
    this.#failed = 0;
    try {
      switch (this.kind.mode) {
        case "concurrent":
          await this.#concurrent(ids, context, signal);
          break;
        case "sequential":
          for (const id of ids) {
            if (signal.aborted) break;
            await this.#element(id, context, signal);
          }
          break;
        case "pages":
          for (const id of ids) {
            if (signal.aborted) break;
            await this.#pages(id, context, signal);
          }
          break;
      }
      if (signal.aborted) return;
      log.info(() =>
        `${this.kind.name} import of ${ids.length} ids: ${this.#sent} sent, ${this.#failed} failed, in ${
          Math.round(performance.now() - started)
        } ms`
      );
      await this.#connection.notify(this.kind.finished, null);
      try {
        await this.#target[this.kind.complete]();
      } catch (error) {
        logFailure(log, `${this.kind.complete} failed`, error);
      }
    } finally {
      this.#end(controller);
    }
  }

  /**
   * Starts every element without waiting for the others, but SLICE at a time with a turn
   * of the event loop between: elements that finish at once (a cache hit) then die young
   * and their lines go out early, instead of 20,000 of them living through the same
   * garbage collections. Resolves once every element is reported (or at once on abort).
   *
   * Written with then() rather than async/await, posting rather than awaiting each
   * notification, and counting the elements that settle rather than collecting their
   * promises: at 20,000 elements every promise and closure per element is a measurable
   * share of an import's time and garbage.
   */
  async #concurrent(ids: string[], context: unknown, signal: AbortSignal): Promise<void> {
    const target = this.#target;
    const handler = target[this.kind.handler];
    let outstanding = 1; // the loop itself, until every element is started
    const all = Promise.withResolvers<void>();
    // What elements were told to wait for (a full output, a failure's notification): the
    // import ends after all of it, as when every element's promise was awaited.
    const waits: Promise<void>[] = [];
    const settled = (wait: Promise<void> | undefined) => {
      if (wait) waits.push(wait);
      if (--outstanding === 0) all.resolve();
    };
    // Once the import has started, only cancel() aborts it: its flag is read per element,
    // not the signal's getter (a checked call), and no listener is added per import (a
    // burst runs thousands of one-id imports).
    const succeed = (id: string, value: unknown) =>
      settled(this.#cancelled ? undefined : this.#succeed(id, value));
    const fail = (id: string, error: unknown) =>
      settled(this.#cancelled ? undefined : this.#fail(id, error));
    const turns = ids.length > SLICE ? new Turns() : null;
    try {
      for (let k = 0; k < ids.length; k++) {
        if (k > 0 && k % SLICE === 0) {
          await turns!.next();
          // A slow reader: let Galaxy take what is queued before starting more elements,
          // or their lines pile up in memory without limit.
          if (this.#connection.queuedCharacters > QUEUE_LIMIT) await this.#connection.flush();
          if (signal.aborted) return;
        }
        const id = ids[k];
        outstanding++;
        let value: unknown;
        try {
          value = handler.call(target, id, context, signal);
        } catch (error) {
          fail(id, error);
          continue;
        }
        Promise.resolve(value).then((v) => succeed(id, v), (error) => fail(id, error));
      }
    } finally {
      turns?.close();
    }
    settled(undefined);
    await all.promise;
    if (waits.length > 0) await Promise.all(waits);
  }

  #element(id: string, context: unknown, signal: AbortSignal): Promise<void> {
    let value: unknown;
    try {
      value = this.#target[this.kind.handler](id, context, signal);
    } catch (error) {
      return signal.aborted ? RESOLVED : this.#fail(id, error);
    }
    return Promise.resolve(value).then(
      (v) => signal.aborted ? undefined : this.#succeed(id, v),
      (error) => signal.aborted ? undefined : this.#fail(id, error),
    );
  }

  #succeed(id: string, value: unknown): Promise<void> | undefined {
    let params: Record<string, unknown>;
    try {
      params = this.kind.successParams(id, value);
    } catch (error) {
      return this.#fail(id, error);
    }
    this.#sent++;
    const full = this.#connection.post(this.kind.success, params, false, true);
    return full ? this.#connection.writable() : undefined;
  }

  async #pages(id: string, context: unknown, signal: AbortSignal): Promise<void> {
    try {
      const pages = this.#target[this.kind.handler](id, context, signal) as AsyncIterable<unknown>;
      for await (const page of pages) {
        if (signal.aborted) return;
        // Encoded before it is counted: a page that fails to encode is a failure, not sent.
        const params = this.kind.successParams(id, page);
        this.#sent++;
        await this.#connection.notify(this.kind.success, params, false, true);
      }
    } catch (error) {
      if (signal.aborted) return;
      await this.#fail(id, error);
    }
    if (signal.aborted) return;
    await this.#connection.notify(this.kind.partial!, { [this.kind.idKey]: id });
  }

  #fail(id: string, error: unknown): Promise<void> {
    this.#failed++;
    const call = `${this.kind.handler}(${JSON.stringify(id)})`;
    const wire = this.#errorWire(
      error,
      () => error instanceof RecordError ? `${call} returned an invalid value` : `${call} failed`,
    );
    return this.#connection.notify(this.kind.failure, { [this.kind.idKey]: id, error: wire });
  }

  /**
   * The wire form of an element's error: a Galaxy error as it is; anything else logged
   * (as `what` says) and sent as the protocol's fixed "Unknown error".
   */
  #errorWire(error: unknown, what: () => string): unknown {
    try {
      // Even instanceof can throw here (a Proxy whose getPrototypeOf trap throws).
      if (error instanceof JsonRpcError) {
        const wire = error.toWire();
        JSON.stringify(wire); // Data that cannot be sent (a BigInt) must fail here, not later.
        return wire;
      }
      // A denial is told as its line (which deno.json entry grants it), not Galaxy's
      // fixed "Unknown error".
      if (permissionDenial(error)) {
        logFailure(log, what(), error);
        return unknownError(error).toWire();
      }
      log.error(what(), error);
    } catch (problem) {
      // A hostile thrown value (a Proxy whose traps throw) or error data that cannot be
      // serialized: the element must still be reported, or the import never finishes.
      log.error(`${this.kind.handler} failed with an unusable error`, problem);
    }
    return new UnknownError().toWire();
  }
}
