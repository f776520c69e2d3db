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
 * import type { Credentials } from "@galaxy-ts/runtime";
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
 * import type { BrowserCookie } from "@galaxy-ts/runtime";
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
 * import type { AuthenticationResult } from "@galaxy-ts/runtime";
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
 * Every handler may return its value or a promise of it (a synchronous `getLocalGames`
 * needs no `async`), and gets an `AbortSignal` as its last argument, aborted when Galaxy
 * shuts the integration down (the request is then answered -32001 Aborted). A handler
 * that throws a Galaxy error (`BackendError`, `InvalidCredentials`, …) answers with it;
 * anything else it throws is answered as `UnknownError` and logged. Which handlers a class
 * overrides decides its features; the method table (`GALAXY_METHODS`) lists them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Authentication, type Game, LicenseType, Platform, Plugin } from "@galaxy-ts/runtime";
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
   * Has Galaxy store credentials, passed to {@linkcode Plugin.authenticate} next time; also
   * kept in {@linkcode Plugin.persistentCache} as "credentials". They never reach a log.
   *
   * @param credentials Any JSON object.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   */
  storeCredentials(credentials: Credentials): Promise<void> {
    this.persistentCache.credentials = credentials;
    return this.#push().notify("store_credentials", credentials, true);
  }

  /**
   * Tells Galaxy the user now owns `game`.
   *
   * @param game The game, as in {@linkcode Plugin.getOwnedGames}.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the game does not match its record; the message names the
   * field, and nothing is sent.
   */
  addGame(game: Game): Promise<void> {
    return this.#push().notifyRecord("owned_game_added", "owned_game", "Game", game);
  }

  /**
   * Tells Galaxy the user no longer owns the game.
   *
   * @param gameId The game's id.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the id is not a string; nothing is sent.
   */
  removeGame(gameId: string): Promise<void> {
    return this.#push().notify("owned_game_removed", { game_id: checkId(gameId, "gameId") });
  }

  /**
   * Tells Galaxy a game's details changed.
   *
   * @param game The game as it is now.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the game does not match its record; the message names the
   * field, and nothing is sent.
   */
  updateGame(game: Game): Promise<void> {
    return this.#push().notifyRecord("owned_game_updated", "owned_game", "Game", game);
  }

  /**
   * Tells Galaxy an achievement was just unlocked.
   *
   * @param gameId The game's id.
   * @param achievement The achievement, with its unlock time.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the achievement does not match its record; the message names the
   * field, and nothing is sent.
   */
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

  /**
   * Tells Galaxy a game was installed, uninstalled, started or stopped.
   *
   * @param localGame The game's id and its LocalGameState flags now.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the local game does not match its record; the message names the
   * field, and nothing is sent.
   */
  updateLocalGameStatus(localGame: LocalGame): Promise<void> {
    return this.#push().notifyRecord(
      "local_game_status_changed",
      "local_game",
      "LocalGame",
      localGame,
    );
  }

  /**
   * Tells Galaxy of a new friend.
   *
   * @param user The friend.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the user does not match its record; the message names the
   * field, and nothing is sent.
   */
  addFriend(user: UserInfo): Promise<void> {
    return this.#push().notifyRecord("friend_added", "friend_info", "UserInfo", user);
  }

  /**
   * Tells Galaxy a friend is gone.
   *
   * @param userId The friend's id.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the id is not a string; nothing is sent.
   */
  removeFriend(userId: string): Promise<void> {
    return this.#push().notify("friend_removed", { user_id: checkId(userId, "userId") });
  }

  /**
   * Tells Galaxy a friend's details changed.
   *
   * @param user The friend as they are now.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the user does not match its record; the message names the
   * field, and nothing is sent.
   */
  updateFriendInfo(user: UserInfo): Promise<void> {
    return this.#push().notifyRecord("friend_updated", "friend_info", "UserInfo", user);
  }

  /**
   * Tells Galaxy of new play time.
   *
   * @param gameTime The game's total play time (minutes) and last played time.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the game time does not match its record; the message names the
   * field, and nothing is sent.
   */
  updateGameTime(gameTime: GameTime): Promise<void> {
    return this.#push().notifyRecord("game_time_updated", "game_time", "GameTime", gameTime);
  }

  /**
   * Tells Galaxy what a user is doing now.
   *
   * @param userId The user's id.
   * @param presence Their presence now.
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   * @throws {TypeError} when the presence does not match its record; the message names the
   * field, and nothing is sent.
   */
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

  /**
   * Tells Galaxy the user's login is no longer valid; Galaxy asks them to log in again.
   *
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   */
  lostAuthentication(): Promise<void> {
    return this.#push().notify("authentication_lost", null);
  }

  /**
   * Has Galaxy store {@linkcode Plugin.persistentCache} as it is now; it comes back in the
   * next session's `initialize_cache`. Its values never reach a log.
   *
   * @returns Resolves once the notification is queued (or written, when much output is
   * already waiting): await it in a loop of pushes to keep memory bounded. Pushes made
   * before Galaxy is ready are held and sent in order (see `hold.ts`); after the session
   * ended they are dropped with a log line.
   * @throws {Error} before any session has started (construction time, say).
   */
  pushCache(): Promise<void> {
    addSecrets(this.persistentCache, { fromCache: true });
    return this.#push().notify("push_cache", { data: this.persistentCache }, ["data"]);
  }

  /**
   * Asks Galaxy to refresh credentials (for platforms whose tokens Galaxy renews) and
   * returns Galaxy's answer.
   *
   * @param params What Galaxy needs for the refresh (any JSON object).
   * @param sensitive Keep the params and the answer out of logs.
   * @default {true} for `sensitive`
   * @returns Galaxy's answer.
   * @throws {GalaxyError} Galaxy's error answer, as the matching class; {@linkcode Aborted}
   * when the session ends first (or has ended).
   */
  refreshCredentials(params: Credentials, sensitive = true): Promise<Credentials> {
    return this.#push().request("refresh_credentials", params, sensitive) as Promise<Credentials>;
  }

  // ---- lifecycle hooks

  /**
   * Called once Galaxy has sent the persistent cache; pushes work from here on (they are
   * held until Galaxy is ready for them, then sent in order). Whatever it throws is logged.
   */
  handshakeComplete(): void | Promise<void> {}

  /**
   * Called every second after the handshake. A tick that returns a promise is not called
   * again until it settles, so a slow tick never overlaps itself.
   */
  tick(): void | Promise<void> {}

  /**
   * Called when the session ends: Galaxy's `shutdown`, its socket closed, or a stop signal.
   * What it pushes (the cache, credentials) is written before the answer to `shutdown`.
   * Galaxy kills the process about a second after asking it to stop, so keep it short: a
   * longer hook is logged at warning level, and the session ends without it after
   * `shutdownTimeoutMs` (30 s by default).
   */
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

  /**
   * Continues a login after a NextStep, with what the login browser ended on.
   *
   * @param step The step's name; Galaxy sends `""` (protocol §10), so do not rely on it.
   * @param credentials What the browser ended on, e.g. `{ end_uri: "…" }`.
   * @param cookies The login browser's cookies.
   * @param signal Aborted when Galaxy shuts the integration down.
   * @returns An Authentication when done, or one more NextStep.
   * @throws {InvalidCredentials} (or another Galaxy error) to fail the login with it.
   */
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
