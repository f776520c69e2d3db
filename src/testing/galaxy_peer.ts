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
import { readLines, type RequestId, type Transport, type WireError } from "../wire/mod.ts";
import {
  checkAnswer,
  checkNotification,
  IMPORT_SPECS,
  type ImportSpec,
  INTEGRATION_REQUESTS,
} from "./galaxy_protocol.ts";

/**
 * Who wrote a line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Side } from "./galaxy_peer.ts";
 * const sides: Side[] = ["galaxy", "integration"];
 * assert(sides.includes("integration"));
 * ```
 */
export type Side = "galaxy" | "integration";

/**
 * A notification the integration sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Notification } from "./galaxy_peer.ts";
 * const notification: Notification = {
 *   method: "owned_game_removed",
 *   params: { game_id: "1" },
 *   data: { gameId: "1" },
 * };
 * assert(notification.data?.gameId === "1");
 * ```
 */
export interface Notification {
  /** Its method, e.g. `owned_game_added`. */
  readonly method: string;
  /** Its params as sent (snake_case wire form). */
  readonly params: unknown;
  /** The params checked and converted to camelCase; absent when they were malformed. */
  readonly data?: Record<string, unknown>;
}

/**
 * The answer to one of Galaxy's requests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Answer } from "./galaxy_peer.ts";
 * const answer: Answer = { method: "ping", result: null, value: null };
 * assert(answer.error === undefined && answer.value === null);
 * ```
 */
export interface Answer {
  /** The method that was asked. */
  readonly method: string;
  /** The `result` as sent, when the answer is not an error. */
  readonly result?: unknown;
  /** The `error` as sent, when it is one. */
  readonly error?: WireError;
  /** The result checked and converted to camelCase; absent for errors and malformed results. */
  readonly value?: unknown;
  /** What is wrong with the result, if anything. */
  readonly problems?: string[];
  /** Length of the answer's line, in characters. */
  readonly size?: number;
}

/**
 * Kinds of protocol violation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ViolationKind } from "./galaxy_peer.ts";
 * assert(ViolationKind.Timeout === "timeout");
 * ```
 */
export const ViolationKind = {
  /** A line that is not a JSON-RPC 2.0 message. */
  Malformed: "malformed-message",
  /** A notification Galaxy does not know. */
  UnknownNotification: "unknown-notification",
  /** A known notification whose params are wrong (a malformed record). */
  InvalidNotification: "invalid-notification",
  /** A result that does not have the shape its method requires. */
  InvalidAnswer: "invalid-answer",
  /** An answer whose id matches no request of Galaxy's. */
  UnknownId: "unknown-id",
  /** A request Galaxy does not serve. */
  UnknownRequest: "unknown-request",
  /** An import notification that fits no running import. */
  StrayImportNotification: "stray-import-notification",
  /** A request not answered in time (ping: the event loop is blocked). */
  Timeout: "timeout",
  /** An import that never sent its `*_import_finished`. */
  MissingFinished: "missing-import-finished",
  /** An import that finished without a notification for every id. */
  IncompleteImport: "incomplete-import",
} as const;

/**
 * One of the values of {@linkcode ViolationKind}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ViolationKind } from "./galaxy_peer.ts";
 * const kind: ViolationKind = ViolationKind.UnknownNotification;
 * assert(kind === "unknown-notification");
 * ```
 */
export type ViolationKind = typeof ViolationKind[keyof typeof ViolationKind];

/**
 * Something the integration did that Galaxy would not accept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Violation, ViolationKind } from "./galaxy_peer.ts";
 * const violation: Violation = {
 *   kind: ViolationKind.UnknownNotification,
 *   message: "game_added: Galaxy knows no such notification",
 * };
 * assert(violation.kind === "unknown-notification");
 * ```
 */
export interface Violation {
  /** What kind of problem it is. */
  readonly kind: ViolationKind;
  /** One line saying what happened and what Galaxy expects. */
  readonly message: string;
}

/**
 * What a batched import produced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ImportRun } from "./galaxy_peer.ts";
 * import { IMPORT_SPECS } from "./galaxy_protocol.ts";
 * const run: ImportRun = {
 *   spec: IMPORT_SPECS.get("start_game_times_import")!,
 *   ids: ["1"],
 *   values: { "1": { gameId: "1", timePlayed: 42 } },
 *   errors: {},
 *   notifications: [],
 *   finished: true,
 * };
 * assert(run.finished && Object.keys(run.values).length === run.ids.length);
 * ```
 */
export interface ImportRun {
  /** The import's description. */
  readonly spec: ImportSpec;
  /** The ids asked for. */
  readonly ids: readonly string[];
  /** The error answer to the start request, if it was refused. */
  error?: WireError;
  /** Each id's checked camelCase value (pages concatenated for subscription games). */
  readonly values: Record<string, unknown>;
  /** Each failed id's error, as sent. */
  readonly errors: Record<string, WireError>;
  /** Every notification of this import, in arrival order. */
  readonly notifications: Notification[];
  /** Whether `*_import_finished` arrived. */
  finished: boolean;
}

/**
 * Options of a {@linkcode GalaxyPeer}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type GalaxyPeerOptions, type Violation } from "./galaxy_peer.ts";
 * const violations: Violation[] = [];
 * const options: GalaxyPeerOptions = { onViolation: (violation) => void violations.push(violation) };
 * options.onViolation?.({ kind: "timeout", message: "ping not answered in 10 s" });
 * assert(violations.length === 1);
 * ```
 */
export interface GalaxyPeerOptions {
  /** Told of every protocol violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /** Told of every line either side wrote, parsed when it was JSON (for transcripts). */
  onLine?: (from: Side, line: string, message: unknown) => void;
  /** Told of every notification the integration sent. */
  onNotification?: (notification: Notification) => void;
  /**
   * Answers the integration's requests (`refresh_credentials`): return the result, or throw
   * an error whose `code` and `message` become the error answer.
   */
  onRequest?: (method: string, params: unknown) => unknown;
}

/**
 * Why a request of Galaxy's did not get its answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PeerError } from "./galaxy_peer.ts";
 * const error = new PeerError("closed", "the integration closed the connection");
 * assert(error.name === "PeerError" && error.reason === "closed");
 * ```
 */
export class PeerError extends Error {
  /** "timeout" or "closed". */
  readonly reason: "timeout" | "closed";

  /** Creates the error. */
  constructor(reason: "timeout" | "closed", message: string) {
    super(message);
    this.name = "PeerError";
    this.reason = reason;
  }
}

interface Pending {
  readonly method: string;
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

interface Waiter {
  readonly test: (n: Notification) => boolean;
  readonly resolve: (n: Notification) => void;
}

interface Running {
  readonly run: ImportRun;
  readonly done: () => void;
  readonly onElement?: (run: ImportRun) => void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function preview(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * Galaxy's end of a JSON-RPC session over any {@linkcode Transport}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GalaxyPeer, memoryPipe } from "./mod.ts";
 * import { Platform, Plugin, serve } from "../../mod.ts";
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
  #imports = new Map<string, Running>();
  #byNotification = new Map<string, ImportSpec>();
  #waiters: Waiter[] = [];
  #nextId = 1;
  #writes: Promise<void> = Promise.resolve();
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

  /**
   * Sends a request and resolves with its answer, checked against the protocol. Rejects
   * with {@linkcode PeerError} when no answer comes within `timeoutMs` (also recorded as
   * a violation) or the connection ends first.
   */
  request(method: string, params?: unknown, timeoutMs = 0): Promise<Answer> {
    if (this.#closed) {
      return Promise.reject(new PeerError("closed", `${method}: the connection is closed`));
    }
    const id = this.#nextId++;
    const { promise, resolve, reject } = Promise.withResolvers<Answer>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = <T>(fn: (x: T) => void) => (x: T) => {
      clearTimeout(timer);
      this.#pending.delete(String(id));
      fn(x);
    };
    this.#pending.set(String(id), { method, resolve: settle(resolve), reject: settle(reject) });
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        // Kept pending: a late answer is then recognised instead of reported as stray.
        const message = method === "ping"
          ? `ping not answered within ${
            seconds(timeoutMs)
          }: the integration's event loop is blocked (Galaxy kills an integration whose loop blocks for about 20 s)`
          : `${method} not answered within ${seconds(timeoutMs)}`;
        this.#violate(ViolationKind.Timeout, message);
        const forget = () => this.#pending.delete(String(id));
        this.#pending.set(String(id), { method, resolve: forget, reject: forget });
        reject(new PeerError("timeout", message));
      }, timeoutMs);
    }
    const message: Record<string, unknown> = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    this.#write(message);
    return promise;
  }

  /** Sends a notification (an action such as `launch_game`). */
  notify(method: string, params?: unknown): Promise<void> {
    const message: Record<string, unknown> = { jsonrpc: "2.0", method };
    if (params !== undefined) message.params = params;
    return this.#write(message);
  }

  /**
   * Starts a batched import (`start_*_import`) and resolves once `*_import_finished` has
   * arrived, or once `timeoutMs` has passed without it (a violation). `onElement` is told of
   * every success or failure as it arrives, for progress.
   */
  async startImport(
    method: string,
    ids: readonly string[],
    timeoutMs = 0,
    onElement?: (run: ImportRun) => void,
  ): Promise<ImportRun> {
    const spec = IMPORT_SPECS.get(method);
    if (!spec) throw new TypeError(`${method} is not a batched import`);
    if (this.#imports.has(method)) throw new TypeError(`a ${spec.name} import is already running`);
    const run: ImportRun = {
      spec,
      ids: [...ids],
      values: {},
      errors: {},
      notifications: [],
      finished: false,
    };
    const finished = Promise.withResolvers<void>();
    // Registered before the request: the first element may follow the answer in one read.
    this.#imports.set(method, { run, done: finished.resolve, onElement });
    let answer: Answer;
    try {
      answer = await this.request(method, { [spec.idsParam]: run.ids }, timeoutMs);
    } catch (error) {
      this.#imports.delete(method);
      throw error;
    }
    if (answer.error) {
      this.#imports.delete(method);
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
    this.#imports.delete(method);
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
    const bytes = encoder.encode(line + "\n");
    this.#writes = this.#writes.then(async () => {
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
      this.#violate(ViolationKind.Malformed, `a line is not JSON: ${preview(text)}`);
      return;
    }
    this.#options.onLine?.("integration", text, message);
    if (!isObject(message) || message.jsonrpc !== "2.0") {
      this.#violate(
        ViolationKind.Malformed,
        `not a JSON-RPC 2.0 message (needs "jsonrpc": "2.0"): ${preview(text)}`,
      );
      return;
    }
    if ("result" in message || "error" in message) this.#onAnswer(message, text.length);
    else if (typeof message.method !== "string") {
      this.#violate(ViolationKind.Malformed, `a message with no method: ${preview(text)}`);
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
      if (!isObject(error) || typeof error.code !== "number" || typeof error.message !== "string") {
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
          data: isObject(e.data) ? e.data : {},
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
    const running = this.#imports.get(spec.method);
    if (!running || running.run.finished) {
      this.#violate(
        ViolationKind.StrayImportNotification,
        `${n.method} while no ${spec.name} import is running`,
      );
      return;
    }
    const { run } = running;
    run.notifications.push(n);
    if (n.method === spec.finished) {
      run.finished = true;
      const missing = run.ids.filter((id) => !(id in run.values) && !(id in run.errors));
      if (missing.length > 0) {
        this.#violate(
          ViolationKind.IncompleteImport,
          `${spec.finished} sent with no success or failure for ${
            missing.map((id) => JSON.stringify(id)).join(", ")
          }`,
        );
      }
      running.done();
      return;
    }
    if (n.method === spec.partial) return;
    let id: string;
    if (n.method === spec.failure) {
      if (!isObject(n.params)) return;
      id = String(n.params[spec.idKey]);
      run.errors[id] = n.params.error as WireError;
    } else {
      if (!n.data) return;
      const element = spec.element(n.data);
      id = element.id;
      if (spec.paged) {
        run.values[id] = [...(run.values[id] as unknown[] ?? []), ...(element.value as unknown[])];
      } else {
        if (id in run.values || id in run.errors) {
          this.#violate(
            ViolationKind.StrayImportNotification,
            `${n.method} for ${JSON.stringify(id)} a second time`,
          );
        }
        run.values[id] = element.value;
      }
    }
    if (!run.ids.includes(id)) {
      this.#violate(
        ViolationKind.StrayImportNotification,
        `${n.method} for ${JSON.stringify(id)}, which was not asked for`,
      );
    }
    running.onElement?.(run);
  }

  #violate(kind: ViolationKind, message: string): void {
    const violation = { kind, message };
    this.violations.push(violation);
    this.#options.onViolation?.(violation);
  }
}
