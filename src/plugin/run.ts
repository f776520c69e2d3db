/**
 * The entry point of an integration process: arguments, connection, exit code.
 *
 * @module
 */
import { describeError, getLogger } from "../log/mod.ts";
import { Plugin } from "./plugin.ts";
import { serve, type ServeOptions } from "./session.ts";
import { endWhen, lifelineCut } from "./lifeline.ts";
import { logFailure } from "./failure.ts";

const log = getLogger("galaxy.plugin");

/**
 * Exit codes of {@linkcode runPlugin}, the same as the reference SDK's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExitCode } from "@galaxy-ts/runtime";
 * assert(ExitCode.BadPort === 2);
 * ```
 */
export const ExitCode = {
  /** Galaxy shut the integration down, or closed the connection. */
  Ok: 0,
  /** Fewer than two arguments (token, port). */
  MissingArguments: 1,
  /** The port is not an integer. */
  BadPort: 2,
  /** The port is outside 1..65535. */
  PortOutOfRange: 3,
  /** What was passed is not a Plugin subclass. */
  NotAPlugin: 4,
  /** The integration crashed, or could not connect. */
  Crashed: 5,
} as const;

/**
 * One of the values of {@linkcode ExitCode}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExitCode } from "@galaxy-ts/runtime";
 * const code: ExitCode = ExitCode.Ok;
 * assert(code === 0);
 * ```
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode];

/**
 * A Plugin subclass whose constructor takes no arguments.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Platform, Plugin } from "@galaxy-ts/runtime";
 * import type { PluginClass } from "@galaxy-ts/runtime";
 * const MyPlugin: PluginClass = class extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 * };
 * assert(new MyPlugin().version === "1.0.0");
 * ```
 */
export type PluginClass = new () => Plugin;

/**
 * Options of {@linkcode runPlugin} and {@linkcode runPluginToEnd}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RunOptions } from "@galaxy-ts/runtime";
 * const options: RunOptions = { shutdownTimeoutMs: 1000 };
 * assert(options.lifeline === undefined);
 * ```
 */
export interface RunOptions {
  /**
   * End the session when stdin ends, if a launcher wrote the lifeline marker into it first
   * (see `lifeline.ts`): so a compiled integration dies with its launcher.
   *
   * @default {true} for {@linkcode runPlugin}, `false` for {@linkcode runPluginToEnd}
   */
  lifeline?: boolean;
  /**
   * How long the integration's `shutdown` hook may run (see {@linkcode ServeOptions}).
   *
   * @default {30000}
   */
  shutdownTimeoutMs?: number;
  /**
   * How often `tick` is called (see {@linkcode ServeOptions}).
   *
   * @default {1000}
   */
  tickIntervalMs?: number;
}

/**
 * Runs an integration as Galaxy starts it: `argv` is `<token> <port> [anything else]`.
 * Connects to 127.0.0.1:<port> (never another host), serves Galaxy until it shuts the
 * integration down, then exits the process with an {@linkcode ExitCode}. When started by a
 * launcher that holds a lifeline on stdin, the end of that stdin also ends the session.
 * SIGTERM, SIGINT and SIGHUP (SIGINT and SIGBREAK on Windows) end it the same way: the
 * shutdown hook runs within its limit, what it pushes is written, and the exit code is 0;
 * a second signal exits at once.
 *
 * This is what an integration's entry point calls. The three ways in, from the top:
 * `runPlugin` (argv, connect, serve, exit), {@linkcode runPluginToEnd} (the same, but
 * returns the exit code instead of exiting: for tests, or a wrapper that does something
 * after the session), {@linkcode serve} (one session over a connection you already have).
 *
 * @param pluginClass The integration's Plugin subclass; constructed once, without arguments.
 * @param argv The command line after the script: `<token> <port>`.
 * @param options Limits and the lifeline (on by default here).
 * @returns Never: the process exits with the {@linkcode ExitCode} of the session.
 *
 * @example
 * ```ts ignore
 * import { Platform, Plugin, runPlugin } from "@galaxy-ts/runtime";
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 * }
 * if (import.meta.main) runPlugin(MyPlugin, Deno.args);
 * ```
 */
export async function runPlugin(
  pluginClass: PluginClass,
  argv: string[] = Deno.args,
  options: RunOptions = {},
): Promise<never> {
  const code = await runPluginToEnd(pluginClass, argv, { lifeline: true, ...options });
  Deno.exit(code);
}

/**
 * Does what {@linkcode runPlugin} does but returns the exit code instead of exiting, and
 * without the lifeline unless asked.
 *
 * @param pluginClass The integration's Plugin subclass; constructed once, without arguments.
 * @param argv The command line after the script: `<token> <port>`.
 * @param options Limits and the lifeline (off by default here).
 * @returns The {@linkcode ExitCode}: bad arguments, a failed connection and a crash are
 * codes, never exceptions.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogLevel, Platform, Plugin, setLogLevel } from "@galaxy-ts/runtime";
 * import { ExitCode, runPluginToEnd } from "@galaxy-ts/runtime";
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 * }
 * setLogLevel(LogLevel.Warning);
 * // Play Galaxy: listen, let the integration connect, ask it to stop.
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const ended = runPluginToEnd(MyPlugin, ["token", String(listener.addr.port)]);
 * const galaxy = await listener.accept();
 * listener.close();
 * const stop = '{"jsonrpc":"2.0","id":"0","method":"shutdown","params":{}}\n';
 * await galaxy.write(new TextEncoder().encode(stop));
 * assert(await ended === ExitCode.Ok);
 * galaxy.close();
 * ```
 */
export async function runPluginToEnd(
  pluginClass: PluginClass,
  argv: string[],
  options: RunOptions = {},
): Promise<ExitCode> {
  if (argv.length < 2) {
    log.critical("Not enough parameters, required: token, port");
    return ExitCode.MissingArguments;
  }
  const [token, portText] = argv;
  if (!/^\s*[+-]?\d+\s*$/.test(portText)) {
    log.critical(`Failed to parse port value: ${portText}`);
    return ExitCode.BadPort;
  }
  const port = Number(portText);
  if (!(port >= 1 && port <= 65535)) {
    log.critical(`Port value out of range (1, 65535): ${port}`);
    return ExitCode.PortOutOfRange;
  }
  if (typeof pluginClass !== "function" || !(pluginClass.prototype instanceof Plugin)) {
    log.critical("runPlugin needs a subclass of Plugin");
    return ExitCode.NotAPlugin;
  }
  const onRejection = (event: PromiseRejectionEvent) => {
    // A stray promise of the integration's must not take the whole session down.
    event.preventDefault();
    logFailure(log, "Unhandled promise rejection", event.reason);
  };
  globalThis.addEventListener("unhandledrejection", onRejection);
  try {
    const plugin = new pluginClass();
    const conn = await Deno.connect({ hostname: "127.0.0.1", port }).catch((error) => {
      // Nothing to debug in our stack here: say in one line what failed and why.
      log.critical(
        `Cannot connect to Galaxy on 127.0.0.1:${port}: ${
          error instanceof Error ? error.message : describeError(error)
        }`,
      );
      return null;
    });
    if (conn === null) return ExitCode.Crashed;
    conn.setNoDelay(true);
    log.info(`Connected to Galaxy on 127.0.0.1:${port}`);
    const serveOptions: ServeOptions = {
      token,
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      tickIntervalMs: options.tickIntervalMs,
    };
    const stop = stopSignals();
    const cut = options.lifeline ? Promise.race([lifelineCut(), stop.received]) : stop.received;
    try {
      await serve(plugin, endWhen(conn, cut), serveOptions);
    } finally {
      stop.remove();
    }
    return ExitCode.Ok;
  } catch (error) {
    log.critical("Error while running plugin", error);
    return ExitCode.Crashed;
  } finally {
    globalThis.removeEventListener("unhandledrejection", onRejection);
  }
}

/** The signals that ask a process to stop, where Deno can listen for them. */
const STOP_SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGTERM", "SIGINT", "SIGHUP"];

/**
 * Listens for the stop signals: the first ends the session as if Galaxy had closed the
 * socket (the shutdown hook runs, its pushes are written, exit 0); a second one, when the
 * hook hangs, exits at once.
 */
function stopSignals(): { received: Promise<void>; remove(): void } {
  const { promise, resolve } = Promise.withResolvers<void>();
  let count = 0;
  const onSignal = (signal: Deno.Signal) => () => {
    if (++count === 1) {
      log.info(`Received ${signal}: ending the session`);
      resolve();
    } else {
      log.warning(`Received ${signal} again: exiting without waiting for the shutdown`);
      Deno.exit(ExitCode.Ok);
    }
  };
  const listeners: [Deno.Signal, () => void][] = [];
  for (const signal of STOP_SIGNALS) {
    const listener = onSignal(signal);
    try {
      Deno.addSignalListener(signal, listener);
      listeners.push([signal, listener]);
    } catch {
      // Not available here (permissions, platform): the other ways to end still work.
    }
  }
  return {
    received: promise,
    remove: () => {
      for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
    },
  };
}
