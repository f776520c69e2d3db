/**
 * The Plugin base class: what an integration overrides, and what it calls to tell Galaxy
 * something.
 *
 * @module
 */
import {
  type Achievement,
  type Authentication,
  type Feature,
  FEATURE_HANDLERS,
  type Game,
  type GameLibrarySettings,
  type GameTime,
  type HandlerName,
  type LocalGame,
  type NextStep,
  type Platform,
  type Subscription,
  type SubscriptionGame,
  type UserInfo,
  type UserPresence,
} from "../protocol/mod.ts";
import { MethodNotFound } from "../wire/mod.ts";
import { addSecrets } from "../log/mod.ts";
import { ended, type PushTarget, sessions } from "./attach.ts";
import { type TaskBody, Tasks } from "./tasks.ts";

/**
 * Credentials as Galaxy stores them: whatever object the integration gave it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { Credentials } from "./plugin.ts";
 * const stored: Credentials = { refreshToken: "…", userId: "42" };
 * assert(stored.userId === "42");
 * ```
 */
export type Credentials = Record<string, unknown>;

/**
 * A cookie of Galaxy's login browser, as Galaxy passes it back after a login step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BrowserCookie } from "./plugin.ts";
 * const cookie: BrowserCookie = { name: "session", value: "…", domain: ".store.example" };
 * assert(cookie.name === "session");
 * ```
 */
export type BrowserCookie = Record<string, unknown>;

/**
 * What a login step returns: done, or one more step in Galaxy's browser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AuthenticationResult } from "./plugin.ts";
 * const done: AuthenticationResult = { userId: "42", userName: "me" };
 * assert("userId" in done);
 * ```
 */
export type AuthenticationResult = Authentication | NextStep;

function notImplemented(..._args: unknown[]): never {
  throw new MethodNotFound();
}

const NOT_CONNECTED = "Galaxy is not connected yet: pushes work from handshakeComplete on";

/**
 * Base class of an integration. Override the methods for what the platform supports;
 * Galaxy is told of exactly those features. Call the push methods (`addGame`,
 * `updateLocalGameStatus`, …) to tell Galaxy of changes as they happen.
 *
 * Every handler gets an `AbortSignal` as its last argument; it is aborted when Galaxy
 * shuts the integration down, after which the handler's answer is dropped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Authentication, type Game, LicenseType, Platform, Plugin } from "../../mod.ts";
 *
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 *   override authenticate(): Promise<Authentication> {
 *     return Promise.resolve({ userId: "1", userName: "me" });
 *   }
 *   override getOwnedGames(): Promise<Game[]> {
 *     return Promise.resolve([
 *       { gameId: "1", gameTitle: "One", licenseInfo: { licenseType: LicenseType.SinglePurchase } },
 *     ]);
 *   }
 * }
 * assert(new MyPlugin().features.includes("ImportOwnedGames"));
 * ```
 */
export class Plugin {
  /** The platform this integration imports from. */
  readonly platform: Platform;
  /** The integration's version; the build checks it equals the manifest's. */
  readonly version: string;
  /**
   * The cache Galaxy keeps for the integration between runs: a plain object, `{}` until
   * Galaxy sends it (`initialize_cache`, before {@linkcode Plugin.handshakeComplete}).
   * Change it, then call {@linkcode Plugin.pushCache} to have Galaxy store it; Galaxy
   * hands it back next time. Its string values are secrets: they never reach a log.
   * {@linkcode Plugin.storeCredentials} keeps the credentials in it too, as "credentials".
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Platform, Plugin } from "../../mod.ts";
   * const plugin = new (class extends Plugin {})(Platform.Generic, "1.0.0");
   * plugin.persistentCache.lastSync = "2026-01-01";
   * assert.deepEqual(plugin.persistentCache, { lastSync: "2026-01-01" });
   * ```
   */
  persistentCache: Record<string, unknown> = {};

  /** Declares the platform and the integration's version. */
  constructor(platform: Platform, version: string) {
    this.platform = platform;
    this.version = version;
  }

  /** The features this integration declares: one per implemented capability. */
  get features(): Feature[] {
    return FEATURE_HANDLERS.filter(([, handler]) => overrides(this, handler)).map(([f]) => f);
  }

  #push(): PushTarget {
    const session = sessions.get(this);
    if (session) return session;
    const gone = ended.get(this);
    if (gone) return gone;
    throw new Error(NOT_CONNECTED);
  }

  // ---- background work

  /**
   * Starts a named background task, as the Python SDK's `create_task`: polling from
   * {@linkcode Plugin.tick}, a watcher, a refresh loop. `task` gets an AbortSignal that
   * aborts when the session ends (Galaxy's shutdown, or its socket closed); the session
   * then waits for it briefly (half a second) before the process exits. A task that
   * throws or rejects is logged with its name and the session goes on: it is never an
   * unhandled rejection, under {@linkcode runPlugin} as under the testing kit. Pushes
   * made after the session ended are dropped with a log line, never thrown into the task.
   *
   * @param name Names the task in the log.
   * @param task The work; it should stop soon after its signal aborts.
   * @returns A promise that resolves when the task has ended, however it ended; it never
   * rejects, so it may be left unawaited.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { Platform, Plugin } from "../../mod.ts";
   * class Poller extends Plugin {
   *   polls = 0;
   *   constructor() {
   *     super(Platform.Generic, "1.0.0");
   *   }
   *   override tick(): void {
   *     this.startTask("poll", () => void this.polls++);
   *   }
   * }
   * const plugin = new Poller();
   * plugin.tick();
   * await plugin.startTask("wait", (signal) => assert(!signal.aborted));
   * assert(plugin.polls === 1);
   * ```
   */
  startTask(name: string, task: TaskBody): Promise<void> {
    return tasksOf(this).start(name, task);
  }

  // ---- pushes: integration → Galaxy

  /**
   * Has Galaxy store credentials, passed to {@linkcode Plugin.authenticate} next time.
   * They never reach a log.
   */
  storeCredentials(credentials: Credentials): Promise<void> {
    this.persistentCache.credentials = credentials;
    return this.#push().notify("store_credentials", credentials, true);
  }

  /** Tells Galaxy the user now owns `game`. */
  addGame(game: Game): Promise<void> {
    return this.#push().notifyRecord("owned_game_added", "owned_game", "Game", game);
  }

  /** Tells Galaxy the user no longer owns the game. */
  removeGame(gameId: string): Promise<void> {
    return this.#push().notify("owned_game_removed", { game_id: checkId(gameId, "gameId") });
  }

  /** Tells Galaxy a game's details changed. */
  updateGame(game: Game): Promise<void> {
    return this.#push().notifyRecord("owned_game_updated", "owned_game", "Game", game);
  }

  /** Tells Galaxy an achievement was just unlocked. */
  unlockAchievement(gameId: string, achievement: Achievement): Promise<void> {
    return this.#push().notifyRecord(
      "achievement_unlocked",
      "achievement",
      "Achievement",
      achievement,
      {
        game_id: checkId(gameId, "gameId"),
      },
    );
  }

  /** Tells Galaxy a game was installed, uninstalled, started or stopped. */
  updateLocalGameStatus(localGame: LocalGame): Promise<void> {
    return this.#push().notifyRecord(
      "local_game_status_changed",
      "local_game",
      "LocalGame",
      localGame,
    );
  }

  /** Tells Galaxy of a new friend. */
  addFriend(user: UserInfo): Promise<void> {
    return this.#push().notifyRecord("friend_added", "friend_info", "UserInfo", user);
  }

  /** Tells Galaxy a friend is gone. */
  removeFriend(userId: string): Promise<void> {
    return this.#push().notify("friend_removed", { user_id: checkId(userId, "userId") });
  }

  /** Tells Galaxy a friend's details changed. */
  updateFriendInfo(user: UserInfo): Promise<void> {
    return this.#push().notifyRecord("friend_updated", "friend_info", "UserInfo", user);
  }

  /** Tells Galaxy of new play time. */
  updateGameTime(gameTime: GameTime): Promise<void> {
    return this.#push().notifyRecord("game_time_updated", "game_time", "GameTime", gameTime);
  }

  /** Tells Galaxy what a user is doing now. */
  updateUserPresence(userId: string, presence: UserPresence): Promise<void> {
    return this.#push().notifyRecord(
      "user_presence_updated",
      "presence",
      "UserPresence",
      presence,
      {
        user_id: checkId(userId, "userId"),
      },
    );
  }

  /** Tells Galaxy the user's login is no longer valid; Galaxy asks them to log in again. */
  lostAuthentication(): Promise<void> {
    return this.#push().notify("authentication_lost", null);
  }

  /** Has Galaxy store {@linkcode Plugin.persistentCache} as it is now. */
  pushCache(): Promise<void> {
    addSecrets(this.persistentCache, { fromCache: true });
    return this.#push().notify("push_cache", { data: this.persistentCache }, ["data"]);
  }

  /**
   * Asks Galaxy to refresh credentials (for platforms whose tokens Galaxy renews) and
   * returns Galaxy's answer; Galaxy's error answer is thrown as the matching error class.
   * The params and the answer are kept out of logs unless `sensitive` is false.
   */
  refreshCredentials(params: Credentials, sensitive = true): Promise<Credentials> {
    return this.#push().request("refresh_credentials", params, sensitive) as Promise<Credentials>;
  }

  // ---- lifecycle hooks

  /** Called once Galaxy has sent the persistent cache; pushes work from here on. */
  handshakeComplete(): void | Promise<void> {}

  /**
   * Called every second after the handshake. A tick that returns a promise is not called
   * again until it settles, so a slow tick never overlaps itself.
   */
  tick(): void | Promise<void> {}

  /** Called when Galaxy shuts the integration down; it has 30 seconds to finish. */
  shutdown(): void | Promise<void> {}

  // ---- authentication

  /**
   * Logs in with what {@linkcode Plugin.storeCredentials} stored last time: return an
   * Authentication when done, or a NextStep to show a login page. Galaxy may call it again
   * mid-session (the user clicked Retry), and imports may come before it or without it.
   *
   * @param storedCredentials What was stored; undefined when Galaxy has none (whether it
   * left the param out, sent null or sent `{}`).
   * @param signal Aborted when Galaxy shuts the integration down.
   * @returns The login's outcome.
   * @throws {InvalidCredentials} (or another Galaxy error) to fail the login with it.
   */
  authenticate(
    storedCredentials?: Credentials,
    signal?: AbortSignal,
  ): AuthenticationResult | Promise<AuthenticationResult> {
    return notImplemented(storedCredentials, signal);
  }

  /** Continues a login after a NextStep, with what the login browser ended on. */
  passLoginCredentials(
    step: string,
    credentials: Record<string, unknown>,
    cookies: BrowserCookie[],
    signal?: AbortSignal,
  ): AuthenticationResult | Promise<AuthenticationResult> {
    return notImplemented(step, credentials, cookies, signal);
  }

  // ---- whole-list imports

  /** The games the user owns (feature ImportOwnedGames). */
  getOwnedGames(signal?: AbortSignal): Game[] | Promise<Game[]> {
    return notImplemented(signal);
  }

  /** The platform's games on this machine and their state (feature ImportInstalledGames). */
  getLocalGames(signal?: AbortSignal): LocalGame[] | Promise<LocalGame[]> {
    return notImplemented(signal);
  }

  /** The user's friends (feature ImportFriends). */
  getFriends(signal?: AbortSignal): UserInfo[] | Promise<UserInfo[]> {
    return notImplemented(signal);
  }

  /** The subscriptions the platform offers (feature ImportSubscriptions). */
  getSubscriptions(signal?: AbortSignal): Subscription[] | Promise<Subscription[]> {
    return notImplemented(signal);
  }

  // ---- per-game imports

  /** Fetches what all the achievement lookups of one import share; its error fails the import. */
  prepareAchievementsContext(gameIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [gameIds, signal]);
  }

  /** The achievements unlocked in one game (feature ImportAchievements). */
  getUnlockedAchievements(
    gameId: string,
    context: unknown,
    signal?: AbortSignal,
  ): Achievement[] | Promise<Achievement[]> {
    return notImplemented(gameId, context, signal);
  }

  /** Called after an achievements import has finished. */
  achievementsImportComplete(): void | Promise<void> {}

  /** Fetches what all the game-time lookups of one import share. */
  prepareGameTimesContext(gameIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [gameIds, signal]);
  }

  /** Play time of one game (feature ImportGameTime). */
  getGameTime(
    gameId: string,
    context: unknown,
    signal?: AbortSignal,
  ): GameTime | Promise<GameTime> {
    return notImplemented(gameId, context, signal);
  }

  /** Called after a game-times import has finished. */
  gameTimesImportComplete(): void | Promise<void> {}

  /** Fetches what all the library-settings lookups of one import share. */
  prepareGameLibrarySettingsContext(gameIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [gameIds, signal]);
  }

  /** The user's tags and hidden flag of one game (feature ImportGameLibrarySettings). */
  getGameLibrarySettings(
    gameId: string,
    context: unknown,
    signal?: AbortSignal,
  ): GameLibrarySettings | Promise<GameLibrarySettings> {
    return notImplemented(gameId, context, signal);
  }

  /** Called after a library-settings import has finished. */
  gameLibrarySettingsImportComplete(): void | Promise<void> {}

  /** Fetches what all the OS-compatibility lookups of one import share. */
  prepareOsCompatibilityContext(gameIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [gameIds, signal]);
  }

  /**
   * The systems one game runs on, as OSCompatibility flags, or null when unknown
   * (feature ImportOSCompatibility).
   */
  getOsCompatibility(
    gameId: string,
    context: unknown,
    signal?: AbortSignal,
  ): number | null | Promise<number | null> {
    return notImplemented(gameId, context, signal);
  }

  /** Called after an OS-compatibility import has finished. */
  osCompatibilityImportComplete(): void | Promise<void> {}

  /** Fetches what all the presence lookups of one import share. */
  prepareUserPresenceContext(userIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [userIds, signal]);
  }

  /** What one user is doing (feature ImportUserPresence). */
  getUserPresence(
    userId: string,
    context: unknown,
    signal?: AbortSignal,
  ): UserPresence | Promise<UserPresence> {
    return notImplemented(userId, context, signal);
  }

  /** Called after a presence import has finished. */
  userPresenceImportComplete(): void | Promise<void> {}

  /** Fetches what all the size lookups of one import share. */
  prepareLocalSizeContext(gameIds: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [gameIds, signal]);
  }

  /**
   * Bytes one installed game takes on disk, or null when unknown (feature ImportLocalSize).
   * Sizes are asked one game at a time.
   */
  getLocalSize(
    gameId: string,
    context: unknown,
    signal?: AbortSignal,
  ): number | null | Promise<number | null> {
    return notImplemented(gameId, context, signal);
  }

  /** Called after a size import has finished. */
  localSizeImportComplete(): void | Promise<void> {}

  /** Fetches what all the subscription-games lookups of one import share. */
  prepareSubscriptionGamesContext(names: string[], signal?: AbortSignal): unknown {
    return Promise.resolve(void [names, signal]);
  }

  /**
   * The games of one subscription, page by page: each yielded list reaches Galaxy at once
   * (feature ImportSubscriptionGames).
   */
  getSubscriptionGames(
    subscriptionName: string,
    context: unknown,
    signal?: AbortSignal,
  ): AsyncIterable<SubscriptionGame[]> {
    return notImplemented(subscriptionName, context, signal);
  }

  /** Called after a subscription-games import has finished. */
  subscriptionGamesImportComplete(): void | Promise<void> {}

  // ---- actions Galaxy asks for

  /** Starts a game (feature LaunchGame). */
  launchGame(gameId: string, signal?: AbortSignal): void | Promise<void> {
    return notImplemented(gameId, signal);
  }

  /** Starts installing a game (feature InstallGame). */
  installGame(gameId: string, signal?: AbortSignal): void | Promise<void> {
    return notImplemented(gameId, signal);
  }

  /** Starts uninstalling a game (feature UninstallGame). */
  uninstallGame(gameId: string, signal?: AbortSignal): void | Promise<void> {
    return notImplemented(gameId, signal);
  }

  /** Starts the platform's own client (feature LaunchPlatformClient). */
  launchPlatformClient(signal?: AbortSignal): void | Promise<void> {
    return notImplemented(signal);
  }

  /** Closes the platform's own client (feature ShutdownPlatformClient). */
  shutdownPlatformClient(signal?: AbortSignal): void | Promise<void> {
    return notImplemented(signal);
  }
}

/**
 * Aborts `plugin`'s background tasks and waits for them, briefly (the session's end).
 */
export function cancelTasks(plugin: Plugin): Promise<void> {
  return tasksOf(plugin).cancel();
}

// Kept outside the class, so that the session reaches them without a public member.
const allTasks = new WeakMap<Plugin, Tasks>();

function tasksOf(plugin: Plugin): Tasks {
  let tasks = allTasks.get(plugin);
  if (!tasks) allTasks.set(plugin, tasks = new Tasks());
  return tasks;
}

/**
 * Whether `plugin`'s class (or a class between it and Plugin) defines `method` itself.
 * The reference looks at the concrete class only; looking up the chain also finds methods
 * an intermediate base class of the author's implements.
 */
export function overrides(plugin: Plugin, method: string): boolean {
  if (Object.hasOwn(plugin, method)) return true;
  for (
    let proto = Object.getPrototypeOf(plugin);
    proto && proto !== Plugin.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    if (Object.hasOwn(proto, method)) return true;
  }
  return false;
}

function checkId(id: unknown, name: string): string {
  if (typeof id !== "string") {
    throw new TypeError(`${name}: expected a string, received ${typeof id}`);
  }
  return id;
}

// The method table (src/protocol/methods.ts) names Plugin methods as string literals, since
// protocol/ cannot import Plugin; this makes a name that Plugin lacks a type error, which
// shows the name.
type MissingHandlers = Exclude<HandlerName, keyof Plugin>;
const _everyHandlerExists: [MissingHandlers] extends [never] ? true : MissingHandlers = true;
