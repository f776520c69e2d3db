/**
 * Galaxy's end of a session: sends requests and notifications, reads every line the
 * integration writes, and checks each against the protocol. Both the in-process test
 * harness and `galaxy sim` are built on it.
 *
 * It reads raw lines rather than using the runtime's own `Connection`: a checker must see
 * what the integration really sent, malformed lines and stray answers included, which a
 * forgiving JSON-RPC peer absorbs.
 *
 * @module
 */
import {
  clip,
  isRecord,
  readLines,
  type RequestId,
  seconds,
  type Transport,
  type WireError,
} from "../wire/mod.ts";
import {
  checkAnswer,
  checkNotification,
  IMPORT_SPECS,
  type ImportSpec,
  INTEGRATION_REQUESTS,
} from "./galaxy_protocol.ts";
import { ImportTracker } from "./import_tracker.ts";
import {
  type Answer,
  type GalaxyPeerOptions,
  type ImportRun,
  type Notification,
  type Outstanding,
  PeerError,
  type Violation,
  ViolationKind,
} from "./peer_types.ts";

interface Pending {
  readonly method: string;
  /** When it was sent (performance.now()). */
  readonly sent: number;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

interface Waiter {
  readonly test: (n: Notification) => boolean;
  readonly resolve: (n: Notification) => void;
}

interface Running {
  readonly tracker: ImportTracker;
  readonly done: () => void;
  readonly onElement?: (run: ImportRun) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

// How much of a received line a violation quotes.
const QUOTED = 120;

/**
 * Galaxy's end of a JSON-RPC session over any {@linkcode Transport}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GalaxyPeer, memoryPipe } from "@galaxy-ts/runtime/testing";
 * import { LogLevel, Platform, Plugin, serve, setLogLevel } from "@galaxy-ts/runtime";
 * setLogLevel(LogLevel.Warning); // the runtime's log of what it serves, left out here
 * const [galaxyEnd, pluginEnd] = memoryPipe();
 * const served = serve(new (class extends Plugin {})(Platform.Generic, "1"), pluginEnd, {
 *   token: "t",
 * });
 * const galaxy = new GalaxyPeer(galaxyEnd);
 * const answer = await galaxy.request("get_capabilities");
 * assert((answer.value as { token: string }).token === "t");
 * await galaxy.request("shutdown");
 * await served;
 * galaxy.close();
 * ```
 */
export class GalaxyPeer {
  /** Every notification received, in order. */
  readonly notifications: Notification[] = [];
  /** Every violation found, in order. */
  readonly violations: Violation[] = [];
  #transport: Transport;
  #options: GalaxyPeerOptions;
  #pending = new Map<string, Pending>();
  /** The runs of each import, oldest first: queued imports run in arrival order (§10). */
  #imports = new Map<string, Running[]>();
  #byNotification = new Map<string, ImportSpec>();
  #waiters: Waiter[] = [];
  #nextId = 0;
  #writes: Promise<void> = Promise.resolve();
  #outbox: string[] = [];
  #closed = false;
  #reading: Promise<void>;

  /** Starts reading `transport` at once. */
  constructor(transport: Transport, options: GalaxyPeerOptions = {}) {
    this.#transport = transport;
    this.#options = options;
    for (const spec of IMPORT_SPECS.values()) {
      for (const name of [spec.success, spec.failure, spec.finished, spec.partial]) {
        if (name) this.#byNotification.set(name, spec);
      }
    }
    this.#reading = this.#read();
  }

  /** Resolves when the integration has closed the connection (or it was closed). */
  get ended(): Promise<void> {
    return this.#reading;
  }

  /** Whether the connection is gone. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Galaxy's requests still waiting for their answer, oldest first. */
  outstanding(): Outstanding[] {
    const now = performance.now();
    return [...this.#pending].map(([id, p]) => ({ id, method: p.method, ms: now - p.sent }));
  }

  /**
   * Sends a request and resolves with its answer, checked against the protocol. Rejects
   * with {@linkcode PeerError} when no answer comes within `timeoutMs` (also recorded as
   * a violation) or the connection ends first. Like Galaxy, the peer numbers its requests
   * with strings from "0" and always sends `params` (`{}` when there are none); requests
   * made in the same turn of the event loop go out in one write, as Galaxy's often do.
   */
  request(method: string, params: unknown = {}, timeoutMs = 0): Promise<Answer> {
    if (this.#closed) {
      return Promise.reject(new PeerError("closed", `${method}: the connection is closed`));
    }
    const id = String(this.#nextId++);
    const { promise, resolve, reject } = Promise.withResolvers<Answer>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = <T>(fn: (x: T) => void) => (x: T) => {
      clearTimeout(timer);
      this.#pending.delete(id);
      fn(x);
    };
    const sent = performance.now();
    this.#pending.set(id, { method, sent, resolve: settle(resolve), reject: settle(reject) });
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        // Kept pending: a late answer is then recognised instead of reported as stray.
        const message = method === "ping"
          ? `ping not answered within ${
            seconds(timeoutMs)
          }: the integration's event loop is blocked (Galaxy kills an integration whose ping waits 15 s)`
          : `${method} not answered within ${seconds(timeoutMs)}`;
        this.#violate(ViolationKind.Timeout, message);
        const forget = () => this.#pending.delete(id);
        this.#pending.set(id, { method, sent, resolve: forget, reject: forget });
        reject(new PeerError("timeout", message));
      }, timeoutMs);
    }
    this.#write({ jsonrpc: "2.0", id, method, params });
    return promise;
  }

  /** Sends a notification (an action such as `launch_game`); `params` default to `{}`. */
  notify(method: string, params: unknown = {}): Promise<void> {
    return this.#write({ jsonrpc: "2.0", method, params });
  }

  /** Records a violation found by the user of the peer (the simulator's own judgements). */
  report(kind: ViolationKind, message: string): void {
    this.#violate(kind, message);
  }

  /**
   * Starts a batched import (`start_*_import`) and resolves once `*_import_finished` has
   * arrived, or once `timeoutMs` has passed without it (a violation). `onElement` is told of
   * every success or failure as it arrives, for progress. Several imports of one kind may
   * be started at once (Galaxy's per-game bursts): the integration runs them in arrival
   * order, so each notification belongs to the oldest one not finished.
   */
  async startImport(
    method: string,
    ids: readonly string[],
    timeoutMs = 0,
    onElement?: (run: ImportRun) => void,
  ): Promise<ImportRun> {
    const spec = IMPORT_SPECS.get(method);
    if (!spec) throw new TypeError(`${method} is not a batched import`);
    const tracker = new ImportTracker(spec, ids);
    const { run } = tracker;
    const finished = Promise.withResolvers<void>();
    const running: Running = { tracker, done: finished.resolve, onElement };
    const queue = this.#imports.get(method) ?? [];
    this.#imports.set(method, queue);
    // Registered before the request: the first element may follow the answer in one read.
    queue.push(running);
    const forget = () => {
      const i = queue.indexOf(running);
      if (i >= 0) queue.splice(i, 1);
    };
    let answer: Answer;
    try {
      answer = await this.request(method, { [spec.idsParam]: run.ids }, timeoutMs);
    } catch (error) {
      forget();
      throw error;
    }
    if (answer.error) {
      forget();
      run.error = answer.error;
      return run;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = timeoutMs > 0
      ? new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)))
      : new Promise<boolean>(() => {});
    const closed = this.#reading.then(() => true);
    const late = await Promise.race([finished.promise.then(() => false), timedOut, closed]);
    clearTimeout(timer);
    forget();
    if (late && !run.finished) {
      const got = Object.keys(run.values).length + Object.keys(run.errors).length;
      this.#violate(
        ViolationKind.MissingFinished,
        `${method}: no ${spec.finished} ${
          this.#closed ? "before the connection closed" : `within ${seconds(timeoutMs)}`
        } (${got} of ${run.ids.length} ids reported); Galaxy would wait for it forever and never start another ${spec.name} import`,
      );
    }
    return run;
  }

  /**
   * Resolves with the first notification that passes `test`, among those already received
   * and those to come; rejects after `timeoutMs`, or when the connection ends first.
   */
  waitForNotification(
    test: (n: Notification) => boolean,
    timeoutMs = 0,
    from = 0,
  ): Promise<Notification> {
    const found = this.notifications.slice(from).find(test);
    if (found) return Promise.resolve(found);
    if (this.#closed) {
      return Promise.reject(new PeerError("closed", "the connection closed first"));
    }
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waiter: Waiter = {
        test,
        resolve: (n) => {
          clearTimeout(timer);
          resolve(n);
        },
      };
      this.#waiters.push(waiter);
      const fail = (error: PeerError) => {
        const i = this.#waiters.indexOf(waiter);
        if (i < 0) return;
        this.#waiters.splice(i, 1);
        clearTimeout(timer);
        reject(error);
      };
      if (timeoutMs > 0) {
        timer = setTimeout(
          () => fail(new PeerError("timeout", `no such notification within ${seconds(timeoutMs)}`)),
          timeoutMs,
        );
      }
      this.#reading.then(() => fail(new PeerError("closed", "the connection closed first")));
    });
  }

  /**
   * Ends the connection the way a crashing Galaxy does: a ping goes out and the socket is
   * closed at once, so the integration's answer meets a closed socket and the OS resets the
   * connection (its write fails with a broken pipe or a reset). Deno cannot set SO_LINGER,
   * so a reset before any FIN, as a killed process gives, is out of reach here.
   */
  async reset(): Promise<void> {
    if (this.#closed) return;
    await this.#write({ jsonrpc: "2.0", id: String(this.#nextId++), method: "ping", params: {} });
    this.close();
  }

  /** Closes the connection. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#transport.close();
    } catch {
      // Closed by the integration already.
    }
  }

  // ---- output

  #write(message: Record<string, unknown>): Promise<void> {
    const line = JSON.stringify(message);
    this.#options.onLine?.("galaxy", line, message);
    this.#outbox.push(line);
    if (this.#outbox.length > 1) return this.#writes;
    // One write for everything sent in this turn: the chain runs after the caller's code.
    this.#writes = this.#writes.then(async () => {
      const bytes = encoder.encode(this.#outbox.join("\n") + "\n");
      this.#outbox = [];
      if (this.#closed) return;
      for (let offset = 0; offset < bytes.length;) {
        offset += await this.#transport.write(bytes.subarray(offset));
      }
    }).catch(() => {
      // The integration is gone; reading notices and ends the session.
    });
    return this.#writes;
  }

  // ---- input

  async #read(): Promise<void> {
    try {
      await readLines(this.#transport, (bytes) => this.#onLine(bytes));
    } catch {
      // A reset connection ends the session like a close.
    }
    this.#closed = true;
    try {
      this.#transport.close();
    } catch {
      // Already closed.
    }
    for (const pending of [...this.#pending.values()]) {
      pending.reject(
        new PeerError("closed", `${pending.method}: the integration closed the connection`),
      );
    }
    this.#pending.clear();
  }

  #onLine(bytes: Uint8Array): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      this.#options.onLine?.("integration", "<invalid UTF-8>", undefined);
      this.#violate(ViolationKind.Malformed, `a line of ${bytes.length} bytes is not valid UTF-8`);
      return;
    }
    if (text.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      this.#options.onLine?.("integration", text, undefined);
      this.#violate(ViolationKind.Malformed, `a line is not JSON: ${clip(text, QUOTED)}`);
      return;
    }
    this.#options.onLine?.("integration", text, message);
    if (!isRecord(message) || message.jsonrpc !== "2.0") {
      this.#violate(
        ViolationKind.Malformed,
        `not a JSON-RPC 2.0 message (needs "jsonrpc": "2.0"): ${clip(text, QUOTED)}`,
      );
      return;
    }
    if ("result" in message || "error" in message) this.#onAnswer(message, text.length);
    else if (typeof message.method !== "string") {
      this.#violate(ViolationKind.Malformed, `a message with no method: ${clip(text, QUOTED)}`);
    } else if (message.id !== undefined && message.id !== null) {
      void this.#onRequest(message.id as RequestId, message.method, message.params);
    } else this.#onNotification(message.method, message.params);
  }

  #onAnswer(message: Record<string, unknown>, size: number): void {
    const key = typeof message.id === "number" || typeof message.id === "string"
      ? String(message.id)
      : undefined;
    const pending = key === undefined ? undefined : this.#pending.get(key);
    if (!pending) {
      this.#violate(
        ViolationKind.UnknownId,
        `an answer to id ${
          JSON.stringify(message.id)
        }, which Galaxy never sent or which was already answered`,
      );
      return;
    }
    if (message.error !== undefined && message.error !== null) {
      const error = message.error as WireError;
      if (!isRecord(error) || typeof error.code !== "number" || typeof error.message !== "string") {
        this.#violate(
          ViolationKind.InvalidAnswer,
          `${pending.method}: the error answer needs a numeric code and a message`,
        );
      }
      pending.resolve({ method: pending.method, error, size });
      return;
    }
    const checked = checkAnswer(pending.method, message.result);
    if (!checked.ok) {
      this.#violate(
        ViolationKind.InvalidAnswer,
        `${pending.method} answered a malformed result: ${checked.problems.join("; ")}`,
      );
      pending.resolve({
        method: pending.method,
        result: message.result,
        problems: checked.problems,
        size,
      });
      return;
    }
    pending.resolve({ method: pending.method, result: message.result, value: checked.value, size });
  }

  async #onRequest(id: RequestId, method: string, params: unknown): Promise<void> {
    if (!INTEGRATION_REQUESTS.has(method) || !this.#options.onRequest) {
      if (!INTEGRATION_REQUESTS.has(method)) {
        this.#violate(
          ViolationKind.UnknownRequest,
          `the integration sent an unknown request ${method}`,
        );
      }
      await this.#write({
        jsonrpc: "2.0",
        id,
        error: { code: -32601, message: "Method not found", data: {} },
      });
      return;
    }
    try {
      const result = await this.#options.onRequest(method, params);
      await this.#write({ jsonrpc: "2.0", id, result: result ?? null });
    } catch (error) {
      const e = error as { code?: unknown; message?: unknown; data?: unknown };
      await this.#write({
        jsonrpc: "2.0",
        id,
        error: {
          code: typeof e.code === "number" ? e.code : 0,
          message: typeof e.message === "string" ? e.message : "Unknown error",
          data: isRecord(e.data) ? e.data : {},
        },
      });
    }
  }

  #onNotification(method: string, params: unknown): void {
    const checked = checkNotification(method, params);
    let notification: Notification;
    if (checked === undefined) {
      this.#violate(
        ViolationKind.UnknownNotification,
        `unknown notification ${method}: Galaxy ignores it`,
      );
      notification = { method, params };
    } else if (!checked.ok) {
      this.#violate(
        ViolationKind.InvalidNotification,
        `${method} with malformed params: ${checked.problems.join("; ")}`,
      );
      notification = { method, params };
    } else {
      notification = { method, params, data: (checked.value ?? {}) as Record<string, unknown> };
    }
    this.notifications.push(notification);
    const spec = this.#byNotification.get(method);
    if (spec) this.#onImportNotification(spec, notification);
    this.#options.onNotification?.(notification);
    if (this.#waiters.length > 0) {
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(notification)) return true;
        w.resolve(notification);
        return false;
      });
    }
  }

  #onImportNotification(spec: ImportSpec, n: Notification): void {
    const running = this.#imports.get(spec.method)?.find((r) => !r.tracker.run.finished);
    if (!running) {
      this.#violate(
        ViolationKind.StrayImportNotification,
        `${n.method} while no ${spec.name} import is running`,
      );
      return;
    }
    for (const problem of running.tracker.take(n)) this.#violate(problem.kind, problem.message);
    if (running.tracker.run.finished) running.done();
    else running.onElement?.(running.tracker.run);
  }

  #violate(kind: ViolationKind, message: string): void {
    const violation = { kind, message };
    this.violations.push(violation);
    this.#options.onViolation?.(violation);
  }
}
