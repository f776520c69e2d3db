/**
 * A JSON-RPC 2.0 peer over a byte stream: dispatch of incoming requests and notifications,
 * correlation of the answers to our own requests, and ordered, whole-message writes.
 *
 * @module
 */
import {
  addSecrets as logSecrets,
  clip,
  preview,
  PREVIEW_LENGTH,
  redact,
  type Sensitivity,
} from "../log/mod.ts";
import { incomingError, outgoingError } from "./answer.ts";
import { Batch, type Reply } from "./batch.ts";
import { type ByteReader, readLines } from "./line_reader.ts";
import { classify, type Params, parseLine, type RequestId } from "./input.ts";
import { Output } from "./output.ts";
import { idText } from "./raw_id.ts";
import {
  Aborted,
  InvalidParams,
  InvalidRequest,
  JsonRpcError,
  MethodNotFound,
  ParseError,
  type WireError,
} from "./errors.ts";

/**
 * The byte stream a connection runs over; a `Deno.Conn` is one.
 *
 * @example
 * ```ts
 * import type { Transport } from "./connection.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const transport: Transport = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * transport.close();
 * listener.close();
 * ```
 */
export interface Transport extends ByteReader {
  /** Writes some of `p`, returning how many bytes were taken. */
  write(p: Uint8Array): Promise<number>;
  /** Closes both directions. */
  close(): void;
}

/**
 * A handler result to answer first, after which `next` runs: for work (an import's
 * notifications) that must reach the peer only after the answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AnswerThen } from "./connection.ts";
 * const result = new AnswerThen(null, () => console.log("after the answer"));
 * assert(result.result === null);
 * ```
 */
export class AnswerThen {
  /** The result to answer. */
  readonly result: unknown;
  /** What to run once the answer is queued. */
  readonly next: () => void;

  /** Pairs a result with what follows it. */
  constructor(result: unknown, next: () => void) {
    this.result = result;
    this.next = next;
  }
}

/** How a request method is served. */
export interface MethodSpec {
  /**
   * Produces the result. `params` were already checked by `checkParams`. The signal is
   * aborted when the connection shuts down, after which the answer is -32001.
   */
  handler(params: Params, signal: AbortSignal): unknown;
  /** Answer synchronously, in arrival order, before the next line is read. */
  immediate?: boolean;
  /** Checks and converts params; throws a JsonRpcError (usually InvalidParams) to refuse. */
  checkParams?: (params: Params) => Params;
  /** Parameters masked in logs. */
  sensitive?: Sensitivity;
  /** Parameters whose values are secrets to scrub from every later log line. */
  secretParams?: readonly string[];
  /** Log received requests at debug instead of info (for keep-alives such as ping). */
  quiet?: boolean;
  /** Not cancelled by {@linkcode Connection.abortRunning} (the shutdown request itself). */
  survivesAbort?: boolean;
}

/** How a notification is served; it is never answered. */
export interface NotificationSpec {
  /** Handles the notification; a failure is logged. */
  handler(params: Params): unknown;
  /** Checks and converts params; throws to refuse (logged, never answered). */
  checkParams?: (params: Params) => Params;
  /** Parameters masked in logs. */
  sensitive?: Sensitivity;
  /** Parameters whose values are secrets to scrub from every later log line. */
  secretParams?: readonly string[];
  /** Log received notifications at debug instead of info (for ones with no meaning left). */
  quiet?: boolean;
}

/** The part of a logger a connection uses. */
export interface WireLogger {
  /** Whether `level` ("debug" | "info" | …) is written. */
  isEnabled(level: 10 | 20 | 30 | 40): boolean;
  /** Writes a debug record. */
  debug(message: string | (() => string), error?: unknown): void;
  /** Writes an info record. */
  info(message: string | (() => string), error?: unknown): void;
  /** Writes a warning record. */
  warning(message: string | (() => string), error?: unknown): void;
  /** Writes an error record. */
  error(message: string | (() => string), error?: unknown): void;
}

/** Options of a {@linkcode Connection}. */
export interface ConnectionOptions {
  /** Where the connection logs; nothing is logged without one. */
  logger?: WireLogger;
  /** Masks sensitive values for the log; the log's own `redact` by default. */
  redact?: (params: unknown, sensitive: Sensitivity) => unknown;
  /** Turns anything a handler throws that is not a JsonRpcError into one. */
  unexpectedError?: (error: unknown, method: string) => JsonRpcError;
  /** Turns the `error` of an answer to one of our requests into something to reject with. */
  remoteError?: (error: WireError) => Error;
  /**
   * Queued output, in characters, above which `notify` asks its caller to wait and no new
   * input is read until half of it is written.
   *
   * @default 1048576
   */
  highWaterMark?: number;
  /**
   * Told of every secret value that passes (secret params, and everything of a sensitive
   * request of ours), so that the log can scrub it wherever it turns up later; the log's
   * own `addSecrets` by default.
   */
  addSecrets?: (value: unknown) => void;
}

const DEFAULT_HIGH_WATER_MARK = 1 << 20;
/** Requests answered at once that are dispatched between two turns of the event loop. */
const LINES_PER_TURN = 64;
/**
 * Microtasks a started request has to answer before the next line waits a whole turn: an
 * import whose prepare resolves at once answers within four (the handler's awaits,
 * the session's then, the connection's adoption of its promise).
 */
const ANSWER_MICROTASKS = 16;
const RESOLVED: Promise<void> = Promise.resolve();
let neverAborted: AbortSignal | undefined;

interface Running {
  readonly id: RequestId;
  readonly controller: AbortController;
  readonly reply: Reply;
  readonly survivesAbort: boolean;
  answered: boolean;
}

interface Pending {
  readonly method: string;
  readonly sensitive: Sensitivity;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const silent: WireLogger = {
  isEnabled: () => false,
  debug() {},
  info() {},
  warning() {},
  error() {},
};

/**
 * One JSON-RPC 2.0 connection. Register methods and notifications, then `run()` it; it
 * reads until end of stream or {@linkcode Connection.stopReading}.
 *
 * Every outgoing message is queued whole and the queue is written in order, so messages
 * never interleave however many producers there are. While more than the high-water mark
 * is queued, no new input is read: a peer that stops reading stops the work it asks for,
 * and memory stays bounded. A write that fails ends the connection like end of stream.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Connection } from "./connection.ts";
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const client = Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * const server = new Connection(await listener.accept());
 * server.method("add", { handler: (p) => (p.a as number) + (p.b as number) });
 * const running = server.run();
 * const socket = await client;
 * await socket.write(new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1,"b":2}}\n'));
 * const buf = new Uint8Array(256);
 * const n = await socket.read(buf);
 * assert(new TextDecoder().decode(buf.subarray(0, n!)).includes('"result":3'));
 * socket.close();
 * await running;
 * server.close();
 * listener.close();
 * ```
 */
export class Connection {
  #transport: Transport;
  #log: WireLogger;
  #redact: (params: unknown, sensitive: Sensitivity) => unknown;
  #unexpectedError: (error: unknown, method: string) => JsonRpcError;
  #remoteError: (error: WireError) => Error;
  #highWaterMark: number;
  #addSecrets: (value: unknown) => void;
  #output: Output;

  #methods = new Map<string, MethodSpec>();
  #notifications = new Map<string, NotificationSpec>();
  #running = new Set<Running>();
  #pending = new Map<string, Pending>();
  #lastRequestId = 0;

  #reading = true;
  #closed = false;
  #direct: Reply = (line) => {
    if (line !== null) this.#output.send(line);
  };
  /** The direct reply of a request answered at once: its answer is written at once too. */
  #directNow: Reply = (line) => {
    if (line !== null) this.#output.send(line, true);
  };
  /** The request the last line started, whose handler answers later. */
  #started: Running | null = null;
  /** Lines answered within a microtask since the last turn of the event loop. */
  #answeredInTurn = 0;
  #backpressure = (): Promise<void> | undefined => {
    if (this.#output.over) return this.#output.writable();
    if (this.#started === null) return undefined;
    return this.#paced(this.#started);
  };

  /**
   * Waits before the next line until the request just started has answered: a few
   * microtasks for an answer that is ready at once (an import of a burst, queued or
   * prepared by a resolved promise), else a turn of the event loop, so that a large answer
   * is queued, and the queue's bound applies, before the next request is read. Every so
   * many lines a turn anyway (answers written, pings served), but not one per line: a turn
   * is a timer, a millisecond or more on a busy machine, which made a burst of 10,000
   * one-game imports take 25 s.
   */
  async #paced(started: Running): Promise<void> {
    this.#started = null;
    for (let k = 0; k < ANSWER_MICROTASKS && !started.answered; k++) await RESOLVED;
    if (!started.answered || ++this.#answeredInTurn >= LINES_PER_TURN) {
      this.#answeredInTurn = 0;
      await nextTurn();
    }
  }

  /** Wraps `transport`; nothing is read until {@linkcode Connection.run}. */
  constructor(transport: Transport, options: ConnectionOptions = {}) {
    this.#transport = transport;
    this.#log = options.logger ?? silent;
    this.#redact = options.redact ?? redact;
    this.#unexpectedError = options.unexpectedError ??
      ((error) => new JsonRpcError(0, String(error), {}, "UnknownError"));
    this.#remoteError = options.remoteError ??
      ((e) => new JsonRpcError(e.code, e.message, e.data));
    this.#highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.#addSecrets = options.addSecrets ?? logSecrets;
    this.#output = new Output(transport, {
      highWaterMark: this.#highWaterMark,
      onBroken: (error) => this.#onBroken(error),
    });
  }

  /** Registers the handler of a request method. */
  method(name: string, spec: MethodSpec): void {
    this.#methods.set(name, spec);
  }

  /** Registers the handler of a notification. */
  notification(name: string, spec: NotificationSpec): void {
    this.#notifications.set(name, spec);
  }

  /** Characters queued for writing and not yet written. */
  get queuedCharacters(): number {
    return this.#output.queuedCharacters;
  }

  /**
   * Reads and dispatches lines until end of stream, until reading is stopped, or until the
   * peer can no longer be written to. A read error (a reset connection) counts as end of
   * stream.
   */
  async run(): Promise<void> {
    try {
      await readLines(this.#transport, (line) => this.#onLine(line), this.#backpressure);
    } catch (error) {
      if (this.#reading) {
        this.#log.debug("Connection read failed, taking it as end of stream", error);
      }
    }
    if (this.#reading) this.#log.info("Received end of stream");
    this.#reading = false;
  }

  /** Stops dispatching input; lines that arrive later are dropped. */
  stopReading(): void {
    this.#reading = false;
  }

  /**
   * Cancels every running request: its signal is aborted and it is answered -32001 at
   * once; whatever its handler produces later is dropped.
   */
  abortRunning(): void {
    for (const running of this.#running) {
      if (running.survivesAbort) continue;
      this.#running.delete(running);
      running.answered = true;
      running.controller.abort(new Aborted());
      this.#sendError(running.id, new Aborted(), running.reply);
    }
  }

  /**
   * Sends a notification. The promise resolves at once, or, when much output is already
   * queued, once it has been written: a producer that awaits it never makes the queue grow
   * without limit. A `quiet` notification is not logged one by one: its sender logs a
   * summary (an import of 20,000 elements is one line, not 20,000).
   */
  notify(
    method: string,
    params: unknown,
    sensitive: Sensitivity = false,
    quiet = false,
  ): Promise<void> {
    return this.post(method, params, sensitive, quiet) ? this.#output.writable() : RESOLVED;
  }

  /**
   * Queues a notification like {@linkcode Connection.notify} without making a promise:
   * returns true when the queue is over its high-water mark, and then the producer should
   * await {@linkcode Connection.writable} before sending more. For hot loops (an import's
   * thousands of elements), where a promise per message is measurable.
   */
  post(method: string, params: unknown, sensitive: Sensitivity = false, quiet = false): boolean {
    if (sensitive === true) this.#addSecrets(params);
    const json = JSON.stringify(params ?? null);
    if (!quiet && this.#log.isEnabled(10)) {
      // Unmasked params are logged as the very text sent: no second serialization.
      const shown = sensitive === false && params !== undefined
        ? clip(json)
        : preview(this.#redact(params, sensitive));
      this.#log.debug(`Sending notification: method=${method}, params=${shown}`);
    }
    this.#output.send(`{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${json}}\n`);
    return this.#output.over;
  }

  /** Resolves once the write queue is down to half its high-water mark (at once if it is). */
  writable(): Promise<void> {
    return this.#output.writable();
  }

  /**
   * Sends a request and resolves with the peer's `result`, or rejects with its `error`
   * (through `remoteError`). Ids are "1", "2", … as Galaxy expects.
   */
  request(method: string, params: unknown, sensitive: Sensitivity = false): Promise<unknown> {
    if (this.#closed || this.#output.ended) {
      return Promise.reject(new Aborted("Connection closed"));
    }
    if (sensitive === true) this.#addSecrets(params);
    const id = String(++this.#lastRequestId);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    this.#pending.set(id, { method, sensitive, resolve, reject });
    this.#log.info(() =>
      `Sending request: id=${id}, method=${method}, params=${
        preview(this.#redact(params, sensitive))
      }`
    );
    this.#output.send(
      `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"id":"${id}","params":${
        JSON.stringify(params ?? null)
      }}\n`,
    );
    return promise;
  }

  /** Resolves once everything queued so far has been written (or the peer is gone). */
  flush(): Promise<void> {
    return this.#output.flush();
  }

  /** Closes the transport; pending requests of ours are rejected with Aborted. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reading = false;
    for (const pending of this.#pending.values()) pending.reject(new Aborted("Connection closed"));
    this.#pending.clear();
    try {
      this.#transport.close();
    } catch {
      // Already closed by the peer.
    }
    this.#output.end();
  }

  /** The peer cannot be written to: the session is over, like at end of stream. */
  #onBroken(error: unknown): void {
    if (this.#closed) return;
    this.#log.warning(
      `Writing to Galaxy failed (${errorName(error)}); ending the connection`,
      error,
    );
    // Ends the read that run() waits in, so that the session ends and the process exits.
    this.close();
  }

  // ---- input

  #onLine(bytes: Uint8Array): boolean {
    if (!this.#reading) return false;
    const line = parseLine(bytes);
    switch (line.kind) {
      case "blank":
        return true; // Blank lines are keep-alives at most; never an error.
      case "unparsable":
        if (line.tooLong) {
          // Refused whole, with the reason, and the session goes on.
          const reason = `a line of ${line.bytes} bytes is longer than the longest string ` +
            "this runtime can hold (about 512 MiB)";
          this.#log.error(`Refused a line: ${reason}`);
          this.#sendError(null, new ParseError("Parse error", { reason }), this.#direct);
        } else {
          this.#log.warning(`Received a line that is not valid UTF-8 JSON (${line.bytes} bytes)`);
          this.#sendError(null, new ParseError(), this.#direct);
        }
        return true;
      case "batch":
        this.#dispatchBatch(line.messages);
        return this.#reading;
      case "message":
        this.#dispatch(line.message, this.#direct);
        return this.#reading;
    }
  }

  #dispatchBatch(messages: unknown[]): void {
    if (messages.length === 0) {
      this.#invalid("empty batch", this.#direct);
      return;
    }
    const batch = new Batch(messages.length, (piece) => this.#output.send(piece));
    for (const message of messages) {
      const reply = batch.reply();
      if (!this.#dispatch(message, reply)) reply(null);
    }
  }

  /** Dispatches one message; returns whether an answer will go through `reply`. */
  #dispatch(message: unknown, reply: Reply): boolean {
    const incoming = classify(message);
    switch (incoming.kind) {
      case "invalid":
        return this.#invalid(incoming.reason, reply);
      case "response":
        this.#onResponse(incoming.message);
        return false;
      case "badParams":
        if (incoming.id === null) {
          this.#log.warning(`Ignoring notification ${incoming.method}: params is not an object`);
          return false;
        }
        this.#sendError(
          incoming.id,
          new InvalidParams("Invalid params", {
            issues: [{ path: "params", message: "params must be an object of named parameters" }],
          }),
          reply,
        );
        return true;
      case "notification":
        this.#onNotification(incoming.method, incoming.params);
        return false;
      case "request":
        this.#onRequest(incoming.id, incoming.method, incoming.params, reply);
        return true;
    }
  }

  #invalid(reason: string, reply: Reply): true {
    this.#sendError(null, new InvalidRequest("Invalid Request", { reason }), reply);
    return true;
  }

  #onRequest(id: RequestId, method: string, params: Params, reply: Reply): void {
    const spec = this.#methods.get(method);
    if (!spec) {
      this.#log.warning(`Received unknown request: id=${idText(id)}, method=${method}`);
      this.#sendError(id, new MethodNotFound(), reply);
      return;
    }
    if (spec.secretParams) { for (const name of spec.secretParams) this.#addSecrets(params[name]); }
    const level = spec.quiet ? 10 : 20;
    if (this.#log.isEnabled(level)) {
      const text = `Handling request: id=${idText(id)}, method=${method}, params=${
        preview(this.#redact(params, spec.sensitive ?? false))
      }`;
      if (level === 10) this.#log.debug(text);
      else this.#log.info(text);
    }
    let checked: Params;
    try {
      checked = spec.checkParams ? spec.checkParams(params) : params;
    } catch (error) {
      this.#sendError(id, this.#asJsonRpcError(error, method), reply);
      return;
    }
    if (spec.immediate) {
      // Done before anything can abort it: no AbortController of its own (one per ping
      // was a visible share of a ping's cost).
      neverAborted ??= new AbortController().signal;
      let result: unknown;
      try {
        result = spec.handler(checked, neverAborted);
      } catch (error) {
        this.#sendError(id, this.#asJsonRpcError(error, method), reply);
        return;
      }
      this.#answer(
        id,
        method,
        result,
        reply === this.#direct ? this.#directNow : reply,
        spec.quiet,
      );
      return;
    }
    const controller = new AbortController();
    const running: Running = {
      id,
      controller,
      reply,
      survivesAbort: spec.survivesAbort ?? false,
      answered: false,
    };
    this.#running.add(running);
    this.#started = running;
    const finish = (result: unknown, failed: boolean) => {
      if (running.answered) return;
      running.answered = true;
      this.#running.delete(running);
      if (failed) this.#sendError(id, this.#asJsonRpcError(result, method), reply);
      else this.#answer(id, method, result, reply, false);
    };
    new Promise<unknown>((resolve) => resolve(spec.handler(checked, controller.signal))).then(
      (result) => finish(result, false),
      (error) => finish(error, true),
    );
  }

  /**
   * Answers `id` with `result` exactly once: a result that cannot be serialized (a cycle, a
   * BigInt) is answered as an error instead, and the work queued after an answer
   * ({@linkcode AnswerThen}) runs after it, its failure logged, never answered again.
   */
  #answer(id: RequestId, method: string, result: unknown, reply: Reply, quiet?: boolean): void {
    // Most results are null or plain data: no prototype walk for them (every ping).
    const then = typeof result === "object" && result !== null && result instanceof AnswerThen
      ? result
      : undefined;
    try {
      this.#sendResult(id, then ? then.result : result, reply, quiet);
    } catch (error) {
      this.#sendError(id, this.#asJsonRpcError(error, method), reply);
    }
    if (!then) return;
    try {
      then.next();
    } catch (error) {
      this.#log.error(`The work that follows the answer to ${method} failed`, error);
    }
  }

  #onNotification(method: string, params: Params): void {
    const spec = this.#notifications.get(method);
    if (!spec) {
      this.#log.warning(`Received unknown notification: ${method}`);
      return;
    }
    if (spec.secretParams) { for (const name of spec.secretParams) this.#addSecrets(params[name]); }
    const text = () =>
      `Handling notification: method=${method}, params=${
        preview(this.#redact(params, spec.sensitive ?? false))
      }`;
    if (spec.quiet) this.#log.debug(text);
    else this.#log.info(text);
    try {
      const checked = spec.checkParams ? spec.checkParams(params) : params;
      Promise.resolve(spec.handler(checked)).catch((error) =>
        this.#log.error(`Notification handler ${method} failed`, error)
      );
    } catch (error) {
      this.#log.error(`Notification ${method} refused`, error);
    }
  }

  #onResponse(msg: Record<string, unknown>): void {
    const key = typeof msg.id === "string" || typeof msg.id === "number" ? String(msg.id) : null;
    const pending = key === null ? undefined : this.#pending.get(key);
    if (!pending || key === null) {
      this.#log.warning(`Received a response for unknown request id ${preview(msg.id)}`);
      return;
    }
    this.#pending.delete(key);
    if (pending.sensitive === true) this.#addSecrets([msg.result, msg.error]);
    if ("error" in msg && msg.error !== undefined && msg.error !== null) {
      const wire = incomingError(msg.error);
      this.#log.info(() =>
        `Handling error: id=${key}, code=${wire.code}, message=${
          preview(this.#redact(wire.message, pending.sensitive))
        }, data=${preview(this.#redact(wire.data, pending.sensitive))}`
      );
      pending.reject(this.#remoteError(wire));
      return;
    }
    this.#log.info(() =>
      `Handling response: id=${key}, result=${preview(this.#redact(msg.result, pending.sensitive))}`
    );
    pending.resolve(msg.result);
  }

  /** Never throws, whatever was thrown (a Proxy whose every trap throws included). */
  #asJsonRpcError(error: unknown, method: string): JsonRpcError {
    try {
      if (error instanceof JsonRpcError) return error;
      return this.#unexpectedError(error, method);
    } catch (inner) {
      try {
        return this.#unexpectedError(inner, method);
      } catch {
        return new JsonRpcError(0, "[unprintable value]", {}, "UnknownError");
      }
    }
  }

  // ---- output

  /** Throws when `result` cannot be serialized; nothing is sent then. */
  #sendResult(id: RequestId, result: unknown, reply: Reply, quiet?: boolean): void {
    const line = `{"jsonrpc":"2.0","id":${idText(id)},"result":${
      result === null || result === undefined ? "null" : JSON.stringify(result)
    }}\n`;
    const level = quiet ? 10 : 20;
    if (this.#log.isEnabled(level)) {
      const text = line.length > PREVIEW_LENGTH
        ? `Sending response: id=${idText(id)}, ${line.length} characters`
        : `Sending data: ${line.slice(0, -1)}`;
      if (quiet) this.#log.debug(text);
      else this.#log.info(text);
    }
    reply(line);
  }

  #sendError(id: RequestId | null, error: JsonRpcError, reply: Reply): void {
    const wire = outgoingError(error);
    const line = `{"jsonrpc":"2.0","id":${idText(id)},"error":${JSON.stringify(wire)}}\n`;
    this.#log.error(() => `Sending error: id=${idText(id)}, error=${preview(wire)}`);
    reply(line);
  }
}

/**
 * Resolves in a later turn of the event loop. A web timer, not `setTimeout`: in Deno 2.9
 * the first `setTimeout` of a process loads Node's timers module (a megabyte of heap and a
 * stall of milliseconds), which would fall on the first request Galaxy makes.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    AbortSignal.timeout(0).addEventListener("abort", () => resolve(), { once: true });
  });
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : "unknown error";
}
