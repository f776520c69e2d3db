/**
 * Drive an integration in-process, through the real JSON-RPC loop, the way Galaxy does:
 * typed calls, collected notifications, and every message checked against the protocol.
 *
 * @module
 */
import {
  type Achievement,
  type Authentication,
  errorFromWire,
  type Feature,
  GALAXY_METHODS,
  type GalaxyMethod,
  type Game,
  type GameLibrarySettings,
  type GameTime,
  type LocalGame,
  type NextStep,
  type Platform,
  type Subscription,
  type SubscriptionGame,
  type UserInfo,
  type UserPresence,
} from "../protocol/mod.ts";
import { type Credentials, type Plugin, serve } from "../plugin/mod.ts";
import { toCamelCase } from "./wire_schemas.ts";
import { JsonRpcError, seconds, type Transport } from "../wire/mod.ts";
import { GalaxyPeer } from "./galaxy_peer.ts";
import {
  type Answer,
  describeOutstanding,
  type ImportRun,
  type Notification,
  PeerError,
  type Violation,
  ViolationKind,
} from "./peer_types.ts";
import { memoryPipe } from "./memory_transport.ts";

/** The wire names of the table's methods of one kind. */
type MethodOfKind<K extends string> = {
  [M in GalaxyMethod]: (typeof GALAXY_METHODS)[M]["kind"] extends K ? M : never;
}[GalaxyMethod];
type ListMethod = MethodOfKind<"list">;
type ActionMethod = MethodOfKind<"action">;

/**
 * Options of {@linkcode connect}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, type ConnectOptions } from "@galaxy-ts/runtime/testing";
 * import { LogLevel, Platform, Plugin, setLogLevel } from "@galaxy-ts/runtime";
 * setLogLevel(LogLevel.Warning); // the runtime's log of what it serves, left out here
 * // Over a real socket on 127.0.0.1, with Galaxy's token, each answer awaited 2 s at most.
 * const options: ConnectOptions = { token: "my-token", transport: "tcp", timeoutMs: 2_000 };
 * await using galaxy = await connect(new (class extends Plugin {})(Platform.Generic, "1"), options);
 * assert(galaxy.capabilities?.token === "my-token"); // the plugin echoes the token it got
 * ```
 */
export interface ConnectOptions {
  /** The token passed to the plugin, echoed in its capabilities. Default "test-token". */
  token?: string;
  /** The persistent cache sent by `initialize_cache`. Default `{}`. */
  cache?: Record<string, unknown>;
  /**
   * Whether to perform Galaxy's start-up: capabilities, the cache, then a ping (so that
   * `handshakeComplete` has run and what it pushed has been sent when `connect` resolves).
   *
   * @default {true}
   */
  handshake?: boolean;
  /** An in-memory pipe (default) or a real socket on 127.0.0.1. */
  transport?: "memory" | "tcp";
  /**
   * How long any answer, import or awaited notification may take; past it, the call
   * throws {@linkcode ProtocolViolation} naming the request and what else was outstanding
   * (a handler that never settles, or one that blocks the event loop, fails the test
   * instead of hanging it). Stopping the plugin is bounded by it too.
   *
   * @default {10_000}
   */
  timeoutMs?: number;
  /**
   * `"manual"`: the runtime's one-second tick does not run; {@linkcode TestGalaxy.tick}
   * runs the plugin's `tick` once, so a test of tick-driven behaviour is deterministic.
   *
   * @default {"auto"}
   */
  tick?: "auto" | "manual";
  /** Galaxy's answer to `refresh_credentials`; without one, Galaxy answers an error. */
  refreshCredentials?: (params: Credentials) => Credentials | Promise<Credentials>;
}

/**
 * What Galaxy learns from `get_capabilities`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Capabilities } from "@galaxy-ts/runtime/testing";
 * import { Feature, Platform } from "@galaxy-ts/runtime";
 * const capabilities: Capabilities = {
 *   platformName: Platform.Generic,
 *   features: [Feature.ImportOwnedGames],
 *   token: "test-token",
 * };
 * assert(capabilities.features.length === 1);
 * ```
 */
export interface Capabilities {
  /** The platform the integration declared. */
  platformName: Platform;
  /** The features it declared. */
  features: Feature[];
  /** The token it echoed. */
  token: string;
}

/**
 * What a batched import produced, id by id, in camelCase.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ImportResult } from "@galaxy-ts/runtime/testing";
 * const result: ImportResult<number | null> = { values: { "1": 1024 }, errors: {}, notifications: [] };
 * assert(result.values["1"] === 1024);
 * ```
 */
export interface ImportResult<T> {
  /** Each successful id's value (pages joined for subscription games). */
  values: Record<string, T>;
  /** Each failed id's error, rebuilt as its error class (`instanceof BackendError` works). */
  errors: Record<string, JsonRpcError>;
  /** Every notification of the import, in arrival order, ending with `*_import_finished`. */
  notifications: Notification[];
}

/**
 * The integration broke the protocol; `violations` says how.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProtocolViolation } from "@galaxy-ts/runtime/testing";
 * const error = new ProtocolViolation([{ kind: "timeout", message: "ping not answered" }]);
 * assert(error.violations.length === 1 && error.message.includes("ping not answered"));
 * ```
 */
export class ProtocolViolation extends Error {
  /** Every violation, in order. */
  readonly violations: readonly Violation[];

  /** Creates the error from the violations found. */
  constructor(violations: readonly Violation[]) {
    super(`protocol violations:\n${violations.map((v) => `  - ${v.message}`).join("\n")}`);
    this.name = "ProtocolViolation";
    this.violations = violations;
  }
}

async function loopback(): Promise<[Transport, Transport]> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const [client, server] = await Promise.all([
      Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
      listener.accept(),
    ]);
    client.setNoDelay(true);
    server.setNoDelay(true);
    return [server, client];
  } finally {
    listener.close();
  }
}

interface ManualTick {
  /** Runs the plugin's own tick once. */
  run(): unknown;
  /** Gives the plugin its tick back. */
  restore(): void;
}

/**
 * Takes the tick away from the runtime: the instance's own `tick` (which the runtime calls
 * every second) does nothing, and the plugin's real one is run on demand.
 */
function takeTick(plugin: Plugin): ManualTick {
  const own = Object.getOwnPropertyDescriptor(plugin, "tick");
  const real = plugin.tick;
  Object.defineProperty(plugin, "tick", { value: () => {}, configurable: true, writable: true });
  return {
    run: () => real.call(plugin),
    restore: () => {
      if (own) Object.defineProperty(plugin, "tick", own);
      else delete (plugin as { tick?: unknown }).tick;
    },
  };
}

/**
 * Serves `plugin` and connects a test Galaxy to it; by default the handshake is done, so
 * the plugin's `handshakeComplete` has run when this resolves.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect } from "@galaxy-ts/runtime/testing";
 * import { type Game, LicenseType, LogLevel, Platform, Plugin, setLogLevel } from "@galaxy-ts/runtime";
 * setLogLevel(LogLevel.Warning); // the runtime's log of what it serves, left out here
 *
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 *   override getOwnedGames(): Promise<Game[]> {
 *     const licenseInfo = { licenseType: LicenseType.SinglePurchase };
 *     return Promise.resolve([{ gameId: "1", gameTitle: "One", licenseInfo }]);
 *   }
 * }
 *
 * await using galaxy = await connect(new MyPlugin());
 * const games = await galaxy.importOwnedGames();
 * assert(games[0].gameTitle === "One");
 * ```
 */
export async function connect(plugin: Plugin, options: ConnectOptions = {}): Promise<TestGalaxy> {
  const [galaxyEnd, pluginEnd] = options.transport === "tcp" ? await loopback() : memoryPipe();
  const token = options.token ?? "test-token";
  const tick = options.tick === "manual" ? takeTick(plugin) : undefined;
  const served = serve(plugin, pluginEnd, { token });
  const galaxy = new TestGalaxy(galaxyEnd, served, options, tick);
  if (options.handshake ?? true) {
    await galaxy.getCapabilities();
    await galaxy.initializeCache(options.cache ?? {});
    // Galaxy's next request is its sign that it is ready for pushes (protocol.md §10): the
    // runtime sends what handshakeComplete pushed then.
    await galaxy.ping();
  }
  return galaxy;
}

/**
 * Galaxy's part in a test. Calls resolve with camelCase records (checked on the way, as
 * Galaxy checks them), error answers are thrown as their error classes, and every
 * notification is kept. {@linkcode TestGalaxy.close} (or `await using`) shuts the plugin
 * down and throws {@linkcode ProtocolViolation} if anything broke the protocol.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { connect, type TestGalaxy } from "@galaxy-ts/runtime/testing";
 * import { LogLevel, Platform, Plugin, setLogLevel } from "@galaxy-ts/runtime";
 * setLogLevel(LogLevel.Warning); // the runtime's log of what it serves, left out here
 * const galaxy: TestGalaxy = await connect(new (class extends Plugin {})(Platform.Generic, "1"));
 * await galaxy.ping();
 * assert(galaxy.capabilities?.token === "test-token");
 * await galaxy.close();
 * ```
 */
export class TestGalaxy {
  /** What the integration declared; set by {@linkcode TestGalaxy.getCapabilities}. */
  capabilities?: Capabilities;
  /** The credentials last stored by the integration (`store_credentials`). */
  storedCredentials?: Credentials;
  /** The cache last pushed by the integration (`push_cache`). */
  cache: Record<string, unknown>;
  #peer: GalaxyPeer;
  #served: Promise<void>;
  #timeoutMs: number;
  #consumed = new Set<Notification>();
  #closed = false;
  #tick: ManualTick | undefined;
  /** Whether a call of ours has thrown to the test already (see asyncDispose). */
  #threw = false;

  /** Use {@linkcode connect}. */
  constructor(
    transport: Transport,
    served: Promise<void>,
    options: ConnectOptions = {},
    tick?: ManualTick,
  ) {
    this.#served = served;
    this.#tick = tick;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.cache = options.cache ?? {};
    this.#peer = new GalaxyPeer(transport, {
      onNotification: (n) => {
        if (n.method === "store_credentials") this.storedCredentials = n.params as Credentials;
        if (n.method === "push_cache" && n.data) {
          this.cache = n.data.data as Record<string, unknown>;
        }
      },
      onRequest: async (_method, params) => {
        if (!options.refreshCredentials) {
          throw new JsonRpcError(0, "The test Galaxy has no refreshCredentials option");
        }
        return await options.refreshCredentials(params as Credentials);
      },
    });
  }

  /** Every notification the integration sent, in order. */
  get notifications(): readonly Notification[] {
    return this.#peer.notifications;
  }

  /** Every protocol violation found so far. */
  get violations(): readonly Violation[] {
    return this.#peer.violations;
  }

  /**
   * Sends any request and resolves with its checked, camelCase result; an error answer is
   * thrown as its error class, a malformed result as {@linkcode ProtocolViolation}.
   */
  async request(method: string, params?: Record<string, unknown>): Promise<unknown> {
    return this.#value(await this.#answer(method, params));
  }

  /** The peer's answer; a timeout becomes a violation naming what was outstanding. */
  async #answer(method: string, params?: Record<string, unknown>): Promise<Answer> {
    const started = performance.now();
    let answer: Answer;
    try {
      answer = await this.#peer.request(method, params, this.#timeoutMs);
    } catch (error) {
      throw this.#thrown(this.#timedOut(error));
    }
    const ms = performance.now() - started;
    // In-process, a blocked loop also holds back our timer: the answer wins the race, late.
    if (ms > this.#timeoutMs) {
      throw this.#thrown(
        new ProtocolViolation([{
          kind: ViolationKind.Timeout,
          message: `${method} answered only after ${seconds(ms)}, over the ${
            seconds(this.#timeoutMs)
          } limit: the event loop was blocked (Galaxy calls an integration not responding when a ping waits 15 s)`,
        }]),
      );
    }
    return answer;
  }

  #timedOut(error: unknown): unknown {
    if (!(error instanceof PeerError) || error.reason !== "timeout") return error;
    const waiting = this.#peer.outstanding();
    return new ProtocolViolation([{
      kind: ViolationKind.Timeout,
      message: `${error.message}: a handler never settled, or the event loop was blocked${
        waiting.length > 0 ? `; outstanding: ${describeOutstanding(waiting)}` : ""
      }`,
    }]);
  }

  /** Notes that `error` goes to the test, and returns it. */
  #thrown<E>(error: E): E {
    this.#threw = true;
    return error;
  }

  #value(answer: Answer): unknown {
    if (answer.error) throw errorFromWire(answer.error);
    if (answer.problems) {
      throw this.#thrown(
        new ProtocolViolation(
          answer.problems.map((p) => ({
            kind: "invalid-answer",
            message: `${answer.method}: ${p}`,
          })),
        ),
      );
    }
    return answer.value;
  }

  /** `get_capabilities`: what the integration declares. */
  async getCapabilities(): Promise<Capabilities> {
    return this.capabilities = await this.request("get_capabilities") as Capabilities;
  }

  /** `initialize_cache`: hands the plugin its persistent cache; `handshakeComplete` runs. */
  async initializeCache(data: Record<string, unknown> = {}): Promise<void> {
    await this.request("initialize_cache", { data });
  }

  /** `ping`: resolves when the integration's loop answered. */
  async ping(): Promise<void> {
    await this.request("ping");
  }

  /** `init_authentication`, with the credentials Galaxy stored (if any). */
  initAuthentication(storedCredentials?: Credentials): Promise<Authentication | NextStep> {
    return this.request(
      "init_authentication",
      storedCredentials === undefined ? {} : { stored_credentials: storedCredentials },
    ) as Promise<Authentication | NextStep>;
  }

  /** `pass_login_credentials`: what Galaxy's login window ended on. */
  passLoginCredentials(
    step: string,
    credentials: Record<string, unknown>,
    cookies: Record<string, unknown>[] = [],
  ): Promise<Authentication | NextStep> {
    return this.request("pass_login_credentials", { step, credentials, cookies }) as Promise<
      Authentication | NextStep
    >;
  }

  /** A whole-list import: its result's one member, named by the method table. */
  async #list<T>(method: ListMethod): Promise<T[]> {
    const key = toCamelCase(GALAXY_METHODS[method].resultKey);
    return (await this.request(method) as Record<string, T[]>)[key];
  }

  /** `import_owned_games`. */
  importOwnedGames(): Promise<Game[]> {
    return this.#list("import_owned_games");
  }

  /** `import_local_games`. */
  importLocalGames(): Promise<LocalGame[]> {
    return this.#list("import_local_games");
  }

  /** `import_friends`. */
  importFriends(): Promise<UserInfo[]> {
    return this.#list("import_friends");
  }

  /** `import_subscriptions`. */
  importSubscriptions(): Promise<Subscription[]> {
    return this.#list("import_subscriptions");
  }

  /**
   * Runs any batched import by its start request and collects its notifications until
   * `*_import_finished`; the typed `start*Import` methods call this.
   */
  async startImport<T>(method: string, ids: readonly string[]): Promise<ImportResult<T>> {
    let run: ImportRun;
    try {
      run = await this.#peer.startImport(method, ids, this.#timeoutMs);
    } catch (error) {
      throw this.#thrown(this.#timedOut(error));
    }
    if (run.error) throw errorFromWire(run.error);
    if (!run.finished) throw this.#thrown(new ProtocolViolation(this.violations));
    const errors: Record<string, JsonRpcError> = {};
    for (const [id, wire] of Object.entries(run.errors)) errors[id] = errorFromWire(wire);
    return { values: run.values as Record<string, T>, errors, notifications: run.notifications };
  }

  /** `start_achievements_import`: each game's unlocked achievements. */
  startAchievementsImport(gameIds: readonly string[]): Promise<ImportResult<Achievement[]>> {
    return this.startImport("start_achievements_import", gameIds);
  }

  /** `start_game_times_import`: each game's play time. */
  startGameTimesImport(gameIds: readonly string[]): Promise<ImportResult<GameTime>> {
    return this.startImport("start_game_times_import", gameIds);
  }

  /** `start_game_library_settings_import`: each game's tags and hidden flag. */
  startGameLibrarySettingsImport(
    gameIds: readonly string[],
  ): Promise<ImportResult<GameLibrarySettings>> {
    return this.startImport("start_game_library_settings_import", gameIds);
  }

  /** `start_os_compatibility_import`: each game's OSCompatibility flags, or null. */
  startOsCompatibilityImport(gameIds: readonly string[]): Promise<ImportResult<number | null>> {
    return this.startImport("start_os_compatibility_import", gameIds);
  }

  /** `start_user_presence_import`: each user's presence. */
  startUserPresenceImport(userIds: readonly string[]): Promise<ImportResult<UserPresence>> {
    return this.startImport("start_user_presence_import", userIds);
  }

  /** `start_local_size_import`: each game's size on disk in bytes, or null. */
  startLocalSizeImport(gameIds: readonly string[]): Promise<ImportResult<number | null>> {
    return this.startImport("start_local_size_import", gameIds);
  }

  /** `start_subscription_games_import`: each subscription's games, pages joined. */
  startSubscriptionGamesImport(
    subscriptionNames: readonly string[],
  ): Promise<ImportResult<SubscriptionGame[]>> {
    return this.startImport("start_subscription_games_import", subscriptionNames);
  }

  /** An action notification, its params named by the method table's `args`. */
  #act(method: ActionMethod, ...values: string[]): Promise<void> {
    const { args } = GALAXY_METHODS[method];
    return this.#peer.notify(method, Object.fromEntries(args.map((a, i) => [a, values[i]])));
  }

  /** Sends `launch_game`; await a notification to see its effect. */
  launchGame(gameId: string): Promise<void> {
    return this.#act("launch_game", gameId);
  }

  /** Sends `install_game`. */
  installGame(gameId: string): Promise<void> {
    return this.#act("install_game", gameId);
  }

  /** Sends `uninstall_game`. */
  uninstallGame(gameId: string): Promise<void> {
    return this.#act("uninstall_game", gameId);
  }

  /** Sends `launch_platform_client`. */
  launchPlatformClient(): Promise<void> {
    return this.#act("launch_platform_client");
  }

  /** Sends `shutdown_platform_client`. */
  shutdownPlatformClient(): Promise<void> {
    return this.#act("shutdown_platform_client");
  }

  /**
   * Resolves with the next notification named `method` (matching `test`, if given) that no
   * earlier call returned, waiting for it if needed. Its `data` is the camelCase params.
   */
  async nextNotification(
    method: string,
    test: (data: Record<string, unknown>) => boolean = () => true,
  ): Promise<Notification> {
    const found = await this.#peer.waitForNotification(
      (n) => n.method === method && !this.#consumed.has(n) && (n.data ? test(n.data) : true),
      this.#timeoutMs,
    ).catch((error) => {
      throw this.#thrown(new Error(`no ${method} notification: ${error.message}`));
    });
    this.#consumed.add(found);
    if (!found.data) throw this.#thrown(new ProtocolViolation(this.violations));
    return found;
  }

  /**
   * Runs the plugin's `tick` once (connect with `tick: "manual"`), then waits until what it
   * pushed has arrived. What the tick throws is thrown here.
   *
   * @throws {TypeError} When the tick is the runtime's (`tick: "auto"`, the default).
   */
  async tick(): Promise<void> {
    if (!this.#tick) {
      throw new TypeError('connect(plugin, { tick: "manual" }) to drive the tick by hand');
    }
    await this.#tick.run();
    // Pings are answered in order: once answered, the tick's pushes are here.
    await this.ping();
  }

  /**
   * Shuts the plugin down as Galaxy does (`shutdown`, then closing the connection) and
   * waits for it to finish, at most `timeoutMs`; throws {@linkcode ProtocolViolation} if
   * the protocol was broken at any point of the session.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#tick?.restore();
    if (!this.#peer.isClosed) {
      try {
        await this.#peer.request("shutdown", {}, this.#timeoutMs);
      } catch {
        // Gone already, or hanging: closing the connection ends the session either way.
      }
    }
    this.#peer.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = await Promise.race([
      this.#served.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.#timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!stopped) {
      this.#peer.report(
        ViolationKind.Timeout,
        `the plugin did not stop within ${
          seconds(this.#timeoutMs)
        } of shutdown: a handler or its shutdown hook never settles`,
      );
    }
    if (this.violations.length > 0) throw new ProtocolViolation(this.violations);
  }

  /**
   * {@linkcode TestGalaxy.close} for `await using`, except that once a call has thrown to
   * the test, what follows from it is not thrown again: an error thrown while disposing
   * would wrap the first in a SuppressedError, and `deno test` would print neither.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.close();
    } catch (error) {
      if (!this.#threw) throw error;
    }
  }
}
