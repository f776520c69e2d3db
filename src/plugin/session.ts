/**
 * One Galaxy session of a plugin: the methods Galaxy calls, mapped onto the plugin's
 * overridable methods, and the lifecycle (cache, handshake, tick, shutdown).
 *
 * @module
 */
import {
  encoders,
  errorFromWire,
  GALAXY_METHODS,
  type GalaxyMethod,
  type HandlerName,
  listEncoders,
  paramsChecker,
  RecordError,
  type RecordName,
  UnknownError,
} from "../protocol/mod.ts";
import {
  AnswerThen,
  Connection,
  MethodNotFound,
  type MethodSpec,
  type NotificationSpec,
  type Params,
  type Sensitivity,
  type Transport,
} from "../wire/mod.ts";
import { addSecrets, describeError, getLogger, redact } from "../log/mod.ts";
import { Ended, ended, type PushTarget, sessions } from "./attach.ts";
import { Importer, IMPORTS } from "./importer.ts";
import { PUSH_HOLD_MS, PushHold } from "./hold.ts";
import { delay, every } from "./timers.ts";
import { logFailure, unknownError } from "./failure.ts";
import { cancelTasks, overrides, type Plugin } from "./plugin.ts";

const log = getLogger("galaxy.plugin");
const wireLog = getLogger("galaxy.jsonrpc");

/** How long the integration's own `shutdown` may take, by default (§4). */
export const SHUTDOWN_TIMEOUT_MS = 30_000;
/**
 * How long Galaxy waits after asking an integration to stop before it kills it (§10): a
 * shutdown hook that runs longer may lose what it does after that.
 */
export const GALAXY_STOP_WAIT_MS = 1000;
/** How often `tick` is called, by default: every second, as the reference does. */
export const TICK_INTERVAL_MS = 1000;

// deno-lint-ignore no-explicit-any
type Callable = (...args: any[]) => any;
type Entry = (typeof GALAXY_METHODS)[GalaxyMethod];
type LifecycleName = {
  [M in GalaxyMethod]: (typeof GALAXY_METHODS)[M] extends { kind: "lifecycle" } ? M
    : never;
}[GalaxyMethod];

/**
 * Options of {@linkcode serve}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ServeOptions } from "./session.ts";
 * const options: ServeOptions = { token: Deno.args[0] ?? "token", shutdownTimeoutMs: 2000 };
 * assert(options.shutdownTimeoutMs! < 30_000);
 * ```
 */
export interface ServeOptions {
  /** The token Galaxy passed on the command line; echoed in get_capabilities. */
  token: string;
  /**
   * How long the integration's `shutdown` hook may run before the session ends without
   * it. Galaxy itself kills an integration about a second after asking it to stop, so a
   * longer hook is logged at warning level whatever this limit is.
   *
   * @default {30000}
   */
  shutdownTimeoutMs?: number;
  /**
   * How long the integration's pushes wait after `initialize_cache` when Galaxy sends
   * nothing more (Galaxy drops pushes that come too early, §10; its next message releases
   * them at once). See `hold.ts`.
   *
   * @default {1000}
   */
  pushHoldMs?: number;
  /**
   * How often the integration's `tick` is called (tests of tick-driven behaviour set it
   * shorter).
   *
   * @default {1000}
   */
  tickIntervalMs?: number;
}

/**
 * Serves `plugin` to Galaxy over `transport` until Galaxy shuts it down or closes the
 * connection; resolves once everything is answered, flushed and closed.
 *
 * This is one session over a connection you already have (a test's socket, an in-memory
 * pipe). An integration's entry point calls {@linkcode runPlugin} instead, which reads
 * `<token> <port>` from the command line, connects, calls this, and exits the process.
 *
 * @param plugin The integration to serve.
 * @param transport Galaxy's end of the connection: read, written and closed by the session.
 * @param options The session token, and limits.
 * @returns A promise that resolves when the session has ended and the transport is closed;
 * it does not reject: handler failures are answered or logged.
 *
 * @example
 * ```ts ignore
 * import { Platform, Plugin, serve } from "../../mod.ts";
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: 5000 });
 * await serve(new (class extends Plugin {})(Platform.Generic, "1.0"), conn, { token: "t" });
 * ```
 */
export function serve(plugin: Plugin, transport: Transport, options: ServeOptions): Promise<void> {
  return new Session(plugin, transport, options).run();
}

class Session implements PushTarget {
  #plugin: Plugin;
  #connection: Connection;
  #token: string;
  #shutdownTimeoutMs: number;
  #tickIntervalMs: number;
  #hold: PushHold;
  #importers: Map<GalaxyMethod, Importer>;
  #stopTicking: (() => void) | undefined;
  #ticking = false;
  #closing: Promise<void> | null = null;
  /** Settles once the answer to Galaxy's shutdown request is queued, if one came. */
  #shutdownAnswered: Promise<void> | null = null;

  constructor(plugin: Plugin, transport: Transport, options: ServeOptions) {
    this.#plugin = plugin;
    this.#token = options.token;
    // The token is in argv and in the get_capabilities answer: never in a log line.
    addSecrets(options.token);
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS;
    this.#tickIntervalMs = options.tickIntervalMs ?? TICK_INTERVAL_MS;
    this.#hold = new PushHold(options.pushHoldMs ?? PUSH_HOLD_MS);
    this.#connection = new Connection(transport, {
      logger: wireLog,
      redact,
      addSecrets,
      unexpectedError: (error, method) => {
        logFailure(log, `Unexpected exception raised in the handler of ${method}`, error);
        return unknownError(error);
      },
      remoteError: errorFromWire,
    });
    this.#importers = new Map(
      IMPORTS.map((kind) => [kind.method, new Importer(kind, plugin, this.#connection)]),
    );
    this.#register();
  }

  async run(): Promise<void> {
    sessions.set(this.#plugin, this);
    ended.delete(this.#plugin);
    log.info(
      `Serving ${this.#plugin.platform} integration ${this.#plugin.version} with features ${
        this.#plugin.features.join(", ")
      }`,
    );
    await this.#connection.run();
    await this.#close();
    await this.#shutdownAnswered;
    await this.#connection.flush();
    this.#connection.close();
    sessions.delete(this.#plugin);
    ended.set(this.#plugin, new Ended());
    log.info("Plugin closed");
  }

  // ---- PushTarget

  notify(method: string, params: unknown, sensitive: Sensitivity = false): Promise<void> {
    return this.#hold.run(() => this.#connection.notify(method, params, sensitive));
  }

  notifyRecord(
    method: string,
    key: string,
    record: RecordName,
    value: unknown,
    extra?: Record<string, unknown>,
  ): Promise<void> {
    let wire: unknown;
    try {
      wire = encoders[record](value);
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      error.path.unshift(key);
      const problem = new TypeError(
        `Not sent: ${method} with an invalid ${record}: ${error.message}`,
      );
      log.error(problem.message);
      throw problem;
    }
    const params = extra ? { ...extra, [key]: wire } : { [key]: wire };
    return this.#hold.run(() => this.#connection.notify(method, params));
  }

  request(method: string, params: unknown, sensitive: boolean): Promise<unknown> {
    return this.#hold.run(() => this.#connection.request(method, params, sensitive));
  }

  // ---- methods Galaxy calls

  /** Serves every entry of the method table, each by its kind. */
  #register(): void {
    // Any message after initialize_cache shows that Galaxy takes pushes now.
    // Named parameters, not a rest parameter: a wrapper that gathers and spreads its
    // arguments makes an array per message (every ping). Notifications have no signal.
    const seen =
      <R>(fn: (params: Params, signal: AbortSignal) => R) =>
      (params: Params, signal?: AbortSignal): R => {
        this.#hold.seen();
        return fn(params, signal as AbortSignal);
      };
    for (const [name, entry] of Object.entries(GALAXY_METHODS) as [GalaxyMethod, Entry][]) {
      const checkParams = paramsChecker(name);
      if (entry.kind === "action" || entry.kind === "ignored") {
        this.#connection.notification(name, {
          checkParams,
          handler: seen(this.#notification(name)),
          quiet: entry.kind === "ignored",
        });
      } else {
        const spec = this.#spec(name, entry);
        this.#connection.method(name, { ...spec, checkParams, handler: seen(spec.handler) });
      }
    }
  }

  /** How a request of the table is served, by its kind. */
  #spec(name: GalaxyMethod, entry: Exclude<Entry, { kind: "action" | "ignored" }>): MethodSpec {
    switch (entry.kind) {
      case "lifecycle":
        return { ...entry, ...this.#lifecycle[name as LifecycleName] };
      case "auth":
        return {
          sensitive: entry.sensitive,
          secretParams: entry.sensitive,
          handler: (p, signal) => {
            const args = entry.args.map((a) => a === "stored_credentials" ? stored(p[a]) : p[a]);
            return this.#call(entry.handler, args, signal).then((result) =>
              authResult(entry.handler, result)
            );
          },
        };
      case "list":
        return {
          handler: async (_p, signal) => {
            const list = await this.#call(entry.handler, [], signal);
            return {
              [entry.resultKey]: encodeResult(
                entry.handler,
                entry.record,
                list,
                entry.resultKey,
                true,
              ),
            };
          },
        };
      case "batch":
        return { handler: this.#startImport(this.#importers.get(name)!) };
    }
  }

  /** The handlers of the requests the runtime answers itself. */
  #lifecycle: Record<LifecycleName, Pick<MethodSpec, "handler" | "survivesAbort">> = {
    get_capabilities: {
      handler: () => ({
        platform_name: this.#plugin.platform,
        features: this.#plugin.features,
        token: this.#token,
      }),
    },
    initialize_cache: {
      handler: (p) => {
        // The cache holds tokens too: scrub its values wherever they turn up later in a log
        // (a large cache is indexed once the answer is out).
        addSecrets(p.data, { fromCache: true });
        this.#plugin.persistentCache = p.data as Record<string, unknown>;
        this.#hold.arm();
        this.#hook("handshakeComplete");
        this.#startTicking();
        return null;
      },
    },
    ping: { handler: () => null },
    shutdown: {
      survivesAbort: true,
      handler: async () => {
        log.info("Shutting down");
        const answered = Promise.withResolvers<void>();
        this.#shutdownAnswered ??= answered.promise;
        await this.#close();
        return new AnswerThen(null, answered.resolve);
      },
    },
  };

  /** Calls one of the plugin's handlers with `args`, then the signal. */
  #call(name: HandlerName, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    // Through a promise, so that a handler that throws before returning one (the base
    // class's not-implemented stub does) fails the same way as one that rejects.
    return new Promise((resolve) =>
      resolve((this.#plugin[name] as Callable).call(this.#plugin, ...args, signal))
    );
  }

  #startImport(importer: Importer): MethodSpec["handler"] {
    const { kind } = importer;
    return (p, signal) => {
      if (!overrides(this.#plugin, kind.handler)) throw new MethodNotFound();
      const run = importer.start(p[kind.idsParam] as string[], signal);
      return run instanceof Promise
        ? run.then((next) => new AnswerThen(null, next))
        : new AnswerThen(null, run);
    };
  }

  /** The handler of an action or an ignored notification: failures are logged, never sent. */
  #notification(name: GalaxyMethod): NotificationSpec["handler"] {
    const entry = GALAXY_METHODS[name] as Entry;
    if (entry.kind !== "action") {
      return () => log.debug(`Ignored ${name}: Galaxy no longer expects anything of it`);
    }
    const { handler } = entry;
    return (p) => {
      if (!overrides(this.#plugin, handler)) {
        log.warning(`Galaxy sent ${name}, but the integration does not implement ${handler}`);
        return;
      }
      return this.#call(handler, entry.args.map((a) => p[a])).catch((error) => {
        if (error instanceof MethodNotFound) {
          log.warning(`Galaxy sent ${name}, but the integration does not implement ${handler}`);
        } else {
          logFailure(log, `${handler} failed`, error);
        }
      });
    };
  }

  // ---- lifecycle

  /** Calls a lifecycle hook; whatever it throws, now or later, is logged, never fatal. */
  #hook(name: "handshakeComplete" | "tick"): Promise<unknown> | undefined {
    try {
      const result = this.#plugin[name]();
      if (result instanceof Promise) {
        return result.catch((error) =>
          logFailure(log, `Unexpected exception raised in ${name}`, error)
        );
      }
    } catch (error) {
      logFailure(log, `Unexpected exception raised in ${name}`, error);
    }
    return undefined;
  }

  #startTicking(): void {
    if (this.#stopTicking !== undefined || this.#closing) return;
    this.#stopTicking = every(this.#tickIntervalMs, () => {
      if (this.#ticking) return;
      const pending = this.#hook("tick");
      if (pending) {
        this.#ticking = true;
        pending.finally(() => (this.#ticking = false));
      }
    });
  }

  /**
   * Stops reading and ticking, cancels the running work and the background tasks, and runs
   * the plugin's shutdown hook; what the hook and the ending tasks push is queued before
   * the shutdown answer.
   */
  #close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#connection.stopReading();
      this.#hold.release();
      this.#stopTicking?.();
      for (const importer of this.#importers.values()) importer.cancel();
      this.#connection.abortRunning();
      await Promise.all([cancelTasks(this.#plugin), this.#shutdownHook()]);
    })();
    return this.#closing;
  }

  /** The plugin's shutdown hook, within its limit; failures and overruns are logged. */
  async #shutdownHook(): Promise<void> {
    const limit = this.#shutdownTimeoutMs;
    const timeout = delay(limit, "timeout" as const);
    const started = performance.now();
    let cutOff = false;
    try {
      const outcome = await Promise.race([
        Promise.resolve().then(() => this.#plugin.shutdown()),
        timeout.promise,
      ]);
      if (outcome === "timeout") {
        cutOff = true;
        log.warning(`The integration's shutdown did not finish in ${limit} ms`);
      }
    } catch (error) {
      logFailure(log, "Unexpected exception raised in shutdown", error);
    } finally {
      timeout.cancel();
    }
    const took = performance.now() - started;
    // A hook cut off at a limit of Galaxy's wait or more ran that long, whatever the clock
    // says: a timer can fire a fraction of a millisecond early by performance.now().
    if (took > GALAXY_STOP_WAIT_MS || (cutOff && limit >= GALAXY_STOP_WAIT_MS)) {
      log.warning(
        `The integration's shutdown ran ${Math.round(took)} ms; Galaxy kills an integration ` +
          `about ${GALAXY_STOP_WAIT_MS} ms after asking it to stop, so what it did later may be lost`,
      );
    }
  }
}

/**
 * Stored credentials as the plugin gets them: absent, null and `{}` all mean "none" (Galaxy
 * sends each, §10), so all three arrive as undefined, the way Python's falsy empty dict
 * reads for the reference's integrations.
 */
function stored(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) {
    return undefined;
  }
  return value;
}

/** Checks and encodes what a login step returned: an Authentication or a NextStep. */
function authResult(name: string, result: unknown): unknown {
  if (result === null || typeof result !== "object") {
    throw new UnknownError(
      `${name} returned ${describeError(result)}: return an Authentication or a NextStep`,
    );
  }
  return encodeResult(name, "nextStep" in result ? "NextStep" : "Authentication", result);
}

/** Checks and encodes what a handler returned; a bad value becomes a clear UnknownError. */
function encodeResult(
  getter: string,
  record: RecordName,
  value: unknown,
  key?: string,
  isList = false,
): unknown {
  try {
    return (isList ? listEncoders : encoders)[record](value);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    if (key) error.path.unshift(key);
    const message = `${getter} returned an invalid ${
      isList ? `list of ${record}` : record
    }: ${error.message}`;
    log.error(message);
    throw new UnknownError(message);
  }
}
