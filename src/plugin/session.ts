/**
 * One Galaxy session of a plugin: the methods Galaxy calls, mapped onto the plugin's
 * overridable methods, and the lifecycle (cache, handshake, tick, shutdown).
 *
 * @module
 */
import {
  encoders,
  errorFromWire,
  type GalaxyMethod,
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
  type Params,
  type Sensitivity,
  type Transport,
} from "../wire/mod.ts";
import { addSecrets, describeError, getLogger, redact } from "../log/mod.ts";
import { type PushTarget, sessions } from "./attach.ts";
import { Importer, IMPORTS } from "./importer.ts";
import { overrides, type Plugin } from "./plugin.ts";

const log = getLogger("galaxy.plugin");
const wireLog = getLogger("galaxy.jsonrpc");

/** How long the integration's own `shutdown` may take. */
export const SHUTDOWN_TIMEOUT_MS = 30_000;
const TICK_INTERVAL_MS = 1000;

// deno-lint-ignore no-explicit-any
type Callable = (...args: any[]) => any;

/**
 * Options of {@linkcode serve}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ServeOptions } from "./session.ts";
 * const options: ServeOptions = { token: Deno.args[0] ?? "token" };
 * assert(typeof options.token === "string");
 * ```
 */
export interface ServeOptions {
  /** The token Galaxy passed on the command line; echoed in get_capabilities. */
  token: string;
}

/**
 * Serves `plugin` to Galaxy over `transport` until Galaxy shuts it down or closes the
 * connection; resolves once everything is answered, flushed and closed.
 *
 * @example
 * ```ts ignore
 * import { Platform, Plugin, serve } from "../../mod.ts";
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: 5000 });
 * await serve(new (class extends Plugin {})(Platform.Generic, "1.0"), conn, { token: "t" });
 * ```
 */
export function serve(plugin: Plugin, transport: Transport, options: ServeOptions): Promise<void> {
  return new Session(plugin, transport, options.token).run();
}

class Session implements PushTarget {
  #plugin: Plugin;
  #connection: Connection;
  #token: string;
  #importers: Importer[];
  #stopTicking: (() => void) | undefined;
  #ticking = false;
  #closing: Promise<void> | null = null;
  /** Settles once the answer to Galaxy's shutdown request is queued, if one came. */
  #shutdownAnswered: Promise<void> | null = null;

  constructor(plugin: Plugin, transport: Transport, token: string) {
    this.#plugin = plugin;
    this.#token = token;
    this.#connection = new Connection(transport, {
      logger: wireLog,
      redact,
      addSecrets,
      unexpectedError: (error, method) => {
        log.error(`Unexpected exception raised in the handler of ${method}`, error);
        return new UnknownError(errorText(error));
      },
      remoteError: errorFromWire,
    });
    this.#importers = IMPORTS.map((kind) => new Importer(kind, plugin, this.#connection));
    this.#register();
  }

  async run(): Promise<void> {
    sessions.set(this.#plugin, this);
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
    log.info("Plugin closed");
  }

  // ---- PushTarget

  notify(method: string, params: unknown, sensitive: Sensitivity = false): Promise<void> {
    return this.#connection.notify(method, params, sensitive);
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
    return this.#connection.notify(method, extra ? { ...extra, [key]: wire } : { [key]: wire });
  }

  request(method: string, params: unknown, sensitive: boolean): Promise<unknown> {
    return this.#connection.request(method, params, sensitive);
  }

  // ---- methods Galaxy calls

  #method(name: GalaxyMethod, spec: MethodSpec): void {
    this.#connection.method(name, { ...spec, checkParams: paramsChecker(name) });
  }

  #register(): void {
    const plugin = this.#plugin;
    const call = (name: string, ...args: unknown[]) =>
      (plugin as unknown as Record<string, Callable>)[name](...args);

    this.#method("get_capabilities", {
      immediate: true,
      handler: () => ({
        platform_name: plugin.platform,
        features: plugin.features,
        token: this.#token,
      }),
    });
    this.#method("initialize_cache", {
      immediate: true,
      sensitive: ["data"],
      handler: (p) => {
        // The cache holds tokens too: scrub its values wherever they turn up later in a log
        // (a large cache is indexed once the answer is out).
        addSecrets(p.data, { fromCache: true });
        plugin.persistentCache = p.data as Record<string, unknown>;
        this.#hook("handshakeComplete");
        this.#startTicking();
        return null;
      },
    });
    this.#method("ping", { immediate: true, quiet: true, handler: () => null });
    this.#method("shutdown", {
      survivesAbort: true,
      handler: async () => {
        log.info("Shutting down");
        const answered = Promise.withResolvers<void>();
        this.#shutdownAnswered ??= answered.promise;
        await this.#close();
        return new AnswerThen(null, answered.resolve);
      },
    });

    const authResult = (name: string) => (result: unknown) => {
      if (result === null || typeof result !== "object") {
        throw new UnknownError(
          `${name} returned ${describeError(result)}: return an Authentication or a NextStep`,
        );
      }
      return encodeResult(name, "nextStep" in result ? "NextStep" : "Authentication", result);
    };
    this.#method("init_authentication", {
      sensitive: ["stored_credentials"],
      secretParams: ["stored_credentials"],
      handler: (p, signal) =>
        call("authenticate", p.stored_credentials ?? undefined, signal).then(
          authResult("authenticate"),
        ),
    });
    this.#method("pass_login_credentials", {
      sensitive: ["credentials", "cookies"],
      secretParams: ["credentials", "cookies"],
      handler: (p, signal) =>
        call("passLoginCredentials", p.step, p.credentials, p.cookies, signal).then(
          authResult("passLoginCredentials"),
        ),
    });

    const list = (
      method: GalaxyMethod,
      getter: string,
      key: string,
      record: RecordName,
    ) =>
      this.#method(method, {
        handler: async (_p, signal) => ({
          [key]: encodeResult(getter, record, await call(getter, signal), key, true),
        }),
      });
    list("import_owned_games", "getOwnedGames", "owned_games", "Game");
    list("import_local_games", "getLocalGames", "local_games", "LocalGame");
    list("import_friends", "getFriends", "friend_info_list", "UserInfo");
    list("import_subscriptions", "getSubscriptions", "subscriptions", "Subscription");

    for (const importer of this.#importers) {
      const { kind } = importer;
      this.#method(kind.method as GalaxyMethod, {
        handler: async (p: Params, signal) => {
          if (!overrides(plugin, kind.get)) throw new MethodNotFound();
          const run = await importer.start(p[kind.idsParam] as string[], signal);
          return new AnswerThen(null, run);
        },
      });
    }

    const action = (name: GalaxyMethod, method: string, withId: boolean) =>
      this.#connection.notification(name, {
        checkParams: paramsChecker(name),
        handler: (p) => {
          const args = withId ? [p.game_id] : [];
          return Promise.resolve(call(method, ...args)).catch((error) => {
            if (error instanceof MethodNotFound) {
              log.warning(`Galaxy sent ${name}, but the integration does not implement ${method}`);
            } else {
              log.error(`${method} failed`, error);
            }
          });
        },
      });
    action("launch_game", "launchGame", true);
    action("install_game", "installGame", true);
    action("uninstall_game", "uninstallGame", true);
    action("launch_platform_client", "launchPlatformClient", false);
    action("shutdown_platform_client", "shutdownPlatformClient", false);
  }

  // ---- lifecycle

  /** Calls a lifecycle hook; whatever it throws, now or later, is logged, never fatal. */
  #hook(name: "handshakeComplete" | "tick"): Promise<unknown> | undefined {
    try {
      const result = this.#plugin[name]();
      if (result instanceof Promise) {
        return result.catch((error) => log.error(`Unexpected exception raised in ${name}`, error));
      }
    } catch (error) {
      log.error(`Unexpected exception raised in ${name}`, error);
    }
    return undefined;
  }

  #startTicking(): void {
    if (this.#stopTicking !== undefined || this.#closing) return;
    this.#stopTicking = every(TICK_INTERVAL_MS, () => {
      if (this.#ticking) return;
      const pending = this.#hook("tick");
      if (pending) {
        this.#ticking = true;
        pending.finally(() => (this.#ticking = false));
      }
    });
  }

  /** Stops reading and ticking, cancels the running work, and runs the plugin's shutdown. */
  #close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#connection.stopReading();
      this.#stopTicking?.();
      for (const importer of this.#importers) importer.cancel();
      this.#connection.abortRunning();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), SHUTDOWN_TIMEOUT_MS);
      });
      try {
        const outcome = await Promise.race([
          Promise.resolve().then(() => this.#plugin.shutdown()),
          timeout,
        ]);
        if (outcome === "timeout") {
          log.warning(`The integration's shutdown did not finish in ${SHUTDOWN_TIMEOUT_MS} ms`);
        }
      } catch (error) {
        log.error("Unexpected exception raised in shutdown", error);
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.#closing;
  }
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

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return describeError(error);
}

/**
 * Calls `fn` every `ms` until the returned function is called. Built on
 * `AbortSignal.timeout`, a web timer: in Deno 2.9 the first `setInterval` of a process
 * loads Node's timers module, a 7 ms stall that fell on the first import Galaxy asks for
 * right after the handshake.
 */
function every(ms: number, fn: () => void): () => void {
  let signal: AbortSignal;
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    schedule();
    fn();
  };
  const schedule = () => {
    signal = AbortSignal.timeout(ms);
    signal.addEventListener("abort", fire, { once: true });
  };
  schedule();
  return () => {
    stopped = true;
    signal.removeEventListener("abort", fire);
  };
}
