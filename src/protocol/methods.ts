/**
 * Every method Galaxy calls, once: its wire name, the schema of its params, which params
 * never reach a log, the Plugin method it calls, the feature it makes, and what kind of
 * method it is (lifecycle, login, list import, batched import, action). The runtime
 * registers its handlers from this table, derives the features from it and checks params
 * with it; the testing kit and the simulator read it to play Galaxy's part.
 *
 * Plugin method names are plain string literals here, not `keyof Plugin`: protocol/ sits
 * below plugin/ and must not import it (the testing kit and the simulator load this table
 * without the Plugin class). The literals form {@linkcode HandlerName}, and plugin/ checks
 * at compile time that Plugin has every one of them, so a typo in this table is a type
 * error there; adding a Galaxy method is one entry here (plus the Plugin method it names).
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { Feature, LOCAL_SIZE_RANGE, OS_COMPATIBILITY_RANGE } from "./consts.ts";
import type { RecordName } from "./records.ts";
import { isRecord } from "../wire/mod.ts";

const none = v.strictObject({});
const ids = v.array(v.string());
// A custom check, not v.record: the cache can be tens of MB, and a record schema would
// copy every entry only to find that each is there.
/** Any object of named members (not null, not an array), its members unchecked. */
export const plainObject: v.CustomSchema<
  Record<string, unknown>,
  v.ErrorMessage<v.CustomIssue> | undefined
> = v.custom<Record<string, unknown>>(isRecord, "Invalid type: Expected an object");
const gameId = v.strictObject({ game_id: v.string() });

/** A request the runtime answers itself (handshake, keep-alive, stop). */
export interface LifecycleMethod {
  /** The method's kind. */
  readonly kind: "lifecycle";
  /** Schema of the params, in wire (snake_case) form. */
  readonly params: v.GenericSchema;
  /** Answered synchronously, in arrival order, before the next line is read. */
  readonly immediate: boolean;
  /** Params masked in every log and transcript. */
  readonly sensitive?: readonly string[];
  /** Members of the result masked in every log and transcript. */
  readonly sensitiveResult?: readonly string[];
  /** Logged at debug level only (keep-alives). */
  readonly quiet?: boolean;
}

/** A login step: answered with an Authentication or a NextStep. */
export interface AuthMethod<H extends string = string> {
  /** The method's kind. */
  readonly kind: "auth";
  /** Schema of the params, in wire (snake_case) form. */
  readonly params: v.GenericSchema;
  /** Params masked in logs; their values are also secrets scrubbed from later lines. */
  readonly sensitive: readonly string[];
  /** The Plugin method called. */
  readonly handler: H;
  /** The params passed to it, in this order, before the AbortSignal. */
  readonly args: readonly string[];
}

/** A request answered with a whole list of records under one key. */
export interface ListImportMethod<H extends string = string> {
  /** The method's kind. */
  readonly kind: "list";
  /** Schema of the params, in wire (snake_case) form. */
  readonly params: v.GenericSchema;
  /** The Plugin method that returns the list; implementing it declares `feature`. */
  readonly handler: H;
  /** The feature it makes. */
  readonly feature: Feature;
  /** The result's one member, holding the list. */
  readonly resultKey: string;
  /** The record each element of the list is. */
  readonly record: RecordName;
  /** Human name of the elements, for logs and reports ("owned games"). */
  readonly noun: string;
}

/** What one element of a batched import reports on success. */
export type ElementValue =
  /** A record, or a list of records. */
  | { readonly record: RecordName; readonly list: boolean }
  /** An integer in a range, or null when unknown. */
  | { readonly min: number; readonly max: number };

/** A `start_*_import` request: answered null, then one notification per id, then finished. */
export interface BatchImportMethod<H extends string = string> {
  /** The method's kind. */
  readonly kind: "batch";
  /** Schema of the params, in wire (snake_case) form. */
  readonly params: v.GenericSchema;
  /** Human name, for logs ("game times"). */
  readonly name: string;
  /** The feature declared when `handler` is implemented. */
  readonly feature: Feature;
  /** The param holding the ids. */
  readonly idsParam: "game_ids" | "user_id_list" | "subscription_names";
  /** The id's key in the failure notification (and in success, when `successHasId`). */
  readonly idKey: "game_id" | "user_id" | "subscription_name";
  /** The Plugin method building the context shared by one import's elements. */
  readonly prepare: H;
  /** The Plugin method producing one id's value (for `pages`, an async iterable of pages). */
  readonly handler: H;
  /** The Plugin hook called after the import's finished notification. */
  readonly complete: H;
  /** Notification of one id's value. */
  readonly success: string;
  /** Notification of one id's error: `{[idKey], error}`. */
  readonly failure: string;
  /** Notification that ends the import (null params). */
  readonly finished: string;
  /** Notification after each id's pages, success or not (`pages` mode only). */
  readonly partial?: string;
  /** How the elements run: all at once, one after another, or one after another by pages. */
  readonly mode: "concurrent" | "sequential" | "pages";
  /** Whether the success notification carries `[idKey]: id` beside the value. */
  readonly successHasId: boolean;
  /** The success notification's member holding the value. */
  readonly valueKey: string;
  /** What the value is. */
  readonly value: ElementValue;
}

/** A notification asking the integration to do something (never answered). */
export interface ActionMethod<H extends string = string> {
  /** The method's kind. */
  readonly kind: "action";
  /** Schema of the params, in wire (snake_case) form. */
  readonly params: v.GenericSchema;
  /** The Plugin method called; implementing it declares `feature`. */
  readonly handler: H;
  /** The feature it makes. */
  readonly feature: Feature;
  /** The params passed to it, in this order, before the AbortSignal. */
  readonly args: readonly string[];
}

/** A notification old clients send that has no meaning any more: logged at debug, ignored. */
export interface IgnoredMethod {
  /** The method's kind. */
  readonly kind: "ignored";
  /** Schema of the params, in wire (snake_case) form (anything goes). */
  readonly params: v.GenericSchema;
}

/** One entry of the method table. */
export type MethodInfo<H extends string = string> =
  | LifecycleMethod
  | AuthMethod<H>
  | ListImportMethod<H>
  | BatchImportMethod<H>
  | ActionMethod<H>
  | IgnoredMethod;

/**
 * Every method Galaxy sends, requests and notifications alike, by wire name (§5, §6, §10
 * of the protocol).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GALAXY_METHODS } from "./methods.ts";
 * const entry = GALAXY_METHODS.start_game_times_import;
 * assert(entry.kind === "batch" && entry.finished === "game_times_import_finished");
 * assert(GALAXY_METHODS.launch_game.handler === "launchGame");
 * ```
 */
export const GALAXY_METHODS = {
  get_capabilities: {
    kind: "lifecycle",
    params: none,
    immediate: true,
    // The token identifies this session; Galaxy checks it, nobody else needs to read it.
    sensitiveResult: ["token"],
  },
  initialize_cache: {
    kind: "lifecycle",
    params: v.strictObject({ data: plainObject }),
    immediate: true,
    sensitive: ["data"],
  },
  ping: { kind: "lifecycle", params: none, immediate: true, quiet: true },
  shutdown: { kind: "lifecycle", params: none, immediate: false },
  init_authentication: {
    kind: "auth",
    // Galaxy sends the key only when it has credentials, and null or {} happen too (§10).
    params: v.strictObject({ stored_credentials: v.nullish(plainObject) }),
    sensitive: ["stored_credentials"],
    handler: "authenticate",
    args: ["stored_credentials"],
  },
  pass_login_credentials: {
    kind: "auth",
    // Galaxy sends "step": "" (§10): any string is a step.
    params: v.strictObject({
      step: v.string(),
      credentials: plainObject,
      cookies: v.array(plainObject),
    }),
    sensitive: ["credentials", "cookies"],
    handler: "passLoginCredentials",
    args: ["step", "credentials", "cookies"],
  },
  import_owned_games: {
    kind: "list",
    params: none,
    handler: "getOwnedGames",
    feature: Feature.ImportOwnedGames,
    resultKey: "owned_games",
    record: "Game",
    noun: "owned games",
  },
  import_local_games: {
    kind: "list",
    params: none,
    handler: "getLocalGames",
    feature: Feature.ImportInstalledGames,
    resultKey: "local_games",
    record: "LocalGame",
    noun: "local games",
  },
  import_friends: {
    kind: "list",
    params: none,
    handler: "getFriends",
    feature: Feature.ImportFriends,
    resultKey: "friend_info_list",
    record: "UserInfo",
    noun: "friends",
  },
  import_subscriptions: {
    kind: "list",
    params: none,
    handler: "getSubscriptions",
    feature: Feature.ImportSubscriptions,
    resultKey: "subscriptions",
    record: "Subscription",
    noun: "subscriptions",
  },
  start_achievements_import: {
    kind: "batch",
    params: v.strictObject({ game_ids: ids }),
    name: "achievements",
    feature: Feature.ImportAchievements,
    idsParam: "game_ids",
    idKey: "game_id",
    prepare: "prepareAchievementsContext",
    handler: "getUnlockedAchievements",
    complete: "achievementsImportComplete",
    // Not a typo: elements are game_achievements_*, the end is achievements_import_finished.
    success: "game_achievements_import_success",
    failure: "game_achievements_import_failure",
    finished: "achievements_import_finished",
    mode: "concurrent",
    successHasId: true,
    valueKey: "unlocked_achievements",
    value: { record: "Achievement", list: true },
  },
  start_game_times_import: {
    kind: "batch",
    params: v.strictObject({ game_ids: ids }),
    name: "game times",
    feature: Feature.ImportGameTime,
    idsParam: "game_ids",
    idKey: "game_id",
    prepare: "prepareGameTimesContext",
    handler: "getGameTime",
    complete: "gameTimesImportComplete",
    success: "game_time_import_success",
    failure: "game_time_import_failure",
    finished: "game_times_import_finished",
    mode: "concurrent",
    successHasId: false,
    valueKey: "game_time",
    value: { record: "GameTime", list: false },
  },
  start_game_library_settings_import: {
    kind: "batch",
    params: v.strictObject({ game_ids: ids }),
    name: "game library settings",
    feature: Feature.ImportGameLibrarySettings,
    idsParam: "game_ids",
    idKey: "game_id",
    prepare: "prepareGameLibrarySettingsContext",
    handler: "getGameLibrarySettings",
    complete: "gameLibrarySettingsImportComplete",
    success: "game_library_settings_import_success",
    failure: "game_library_settings_import_failure",
    finished: "game_library_settings_import_finished",
    mode: "concurrent",
    successHasId: false,
    valueKey: "game_library_settings",
    value: { record: "GameLibrarySettings", list: false },
  },
  start_os_compatibility_import: {
    kind: "batch",
    params: v.strictObject({ game_ids: ids }),
    name: "os compatibility",
    feature: Feature.ImportOSCompatibility,
    idsParam: "game_ids",
    idKey: "game_id",
    prepare: "prepareOsCompatibilityContext",
    handler: "getOsCompatibility",
    complete: "osCompatibilityImportComplete",
    success: "os_compatibility_import_success",
    failure: "os_compatibility_import_failure",
    finished: "os_compatibility_import_finished",
    mode: "concurrent",
    successHasId: true,
    valueKey: "os_compatibility",
    value: OS_COMPATIBILITY_RANGE,
  },
  start_user_presence_import: {
    kind: "batch",
    params: v.strictObject({ user_id_list: ids }),
    name: "user presence",
    feature: Feature.ImportUserPresence,
    idsParam: "user_id_list",
    idKey: "user_id",
    prepare: "prepareUserPresenceContext",
    handler: "getUserPresence",
    complete: "userPresenceImportComplete",
    success: "user_presence_import_success",
    failure: "user_presence_import_failure",
    finished: "user_presence_import_finished",
    mode: "concurrent",
    successHasId: true,
    valueKey: "presence",
    value: { record: "UserPresence", list: false },
  },
  start_local_size_import: {
    kind: "batch",
    params: v.strictObject({ game_ids: ids }),
    name: "local size",
    feature: Feature.ImportLocalSize,
    idsParam: "game_ids",
    idKey: "game_id",
    prepare: "prepareLocalSizeContext",
    handler: "getLocalSize",
    complete: "localSizeImportComplete",
    success: "local_size_import_success",
    failure: "local_size_import_failure",
    finished: "local_size_import_finished",
    // Sizes are read from disk; one at a time keeps a large library from thrashing it.
    mode: "sequential",
    successHasId: true,
    valueKey: "local_size",
    value: LOCAL_SIZE_RANGE,
  },
  start_subscription_games_import: {
    kind: "batch",
    params: v.strictObject({ subscription_names: ids }),
    name: "subscription games",
    feature: Feature.ImportSubscriptionGames,
    idsParam: "subscription_names",
    idKey: "subscription_name",
    prepare: "prepareSubscriptionGamesContext",
    handler: "getSubscriptionGames",
    complete: "subscriptionGamesImportComplete",
    success: "subscription_games_import_success",
    failure: "subscription_games_import_failure",
    finished: "subscription_games_import_finished",
    partial: "subscription_games_partial_import_finished",
    mode: "pages",
    successHasId: true,
    valueKey: "subscription_games",
    value: { record: "SubscriptionGame", list: true },
  },
  launch_game: {
    kind: "action",
    params: gameId,
    handler: "launchGame",
    feature: Feature.LaunchGame,
    args: ["game_id"],
  },
  install_game: {
    kind: "action",
    params: gameId,
    handler: "installGame",
    feature: Feature.InstallGame,
    args: ["game_id"],
  },
  uninstall_game: {
    kind: "action",
    params: gameId,
    handler: "uninstallGame",
    feature: Feature.UninstallGame,
    args: ["game_id"],
  },
  launch_platform_client: {
    kind: "action",
    params: none,
    handler: "launchPlatformClient",
    feature: Feature.LaunchPlatformClient,
    args: [],
  },
  shutdown_platform_client: {
    kind: "action",
    params: none,
    handler: "shutdownPlatformClient",
    feature: Feature.ShutdownPlatformClient,
    args: [],
  },
  // Sent by 2019 clients before a shutdown when the user closed the login window (§10).
  abort_authentication: { kind: "ignored", params: v.looseObject({}) },
} as const satisfies Record<string, MethodInfo>;

/**
 * The wire name of a method or notification Galaxy sends.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { GalaxyMethod } from "./methods.ts";
 * const method: GalaxyMethod = "import_owned_games";
 * assert(method.startsWith("import_"));
 * ```
 */
export type GalaxyMethod = keyof typeof GALAXY_METHODS;

type Entry = (typeof GALAXY_METHODS)[GalaxyMethod];

/**
 * Every Plugin method the table names (handlers, prepare and complete hooks); plugin/
 * checks that Plugin has each.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { HandlerName } from "./methods.ts";
 * const name: HandlerName = "getOwnedGames";
 * assert(name.length > 0);
 * ```
 */
export type HandlerName =
  | Extract<Entry, { handler: string }>["handler"]
  | Extract<Entry, { prepare: string }>["prepare"]
  | Extract<Entry, { complete: string }>["complete"];

/** A kind of method in the table. */
export type MethodKind = MethodInfo["kind"];

/** The entries of one kind, with their wire names. */
export type MethodsOf<K extends MethodKind> = readonly (
  & Extract<MethodInfo<HandlerName>, { kind: K }>
  & { readonly method: GalaxyMethod }
)[];

/**
 * The table's entries of one kind, in table order, each with its wire name as `method`.
 *
 * @param kind The kind of method: "lifecycle", "auth", "list", "batch", "action", "ignored".
 * @returns The entries of that kind.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { methodsOf } from "./methods.ts";
 * const batches = methodsOf("batch");
 * assert(batches.length === 7);
 * assert(batches.some((b) => b.method === "start_local_size_import" && b.mode === "sequential"));
 * ```
 */
export function methodsOf<K extends MethodKind>(kind: K): MethodsOf<K> {
  return (Object.entries(GALAXY_METHODS) as [GalaxyMethod, MethodInfo][])
    .filter(([, entry]) => entry.kind === kind)
    .map(([method, entry]) => ({ ...entry, method })) as unknown as MethodsOf<K>;
}

/**
 * The Plugin method whose implementation declares each feature, in the order of
 * {@linkcode Feature}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { FEATURE_HANDLERS } from "./methods.ts";
 * assert(FEATURE_HANDLERS.some(([f, h]) => f === "ImportGameTime" && h === "getGameTime"));
 * ```
 */
export const FEATURE_HANDLERS: readonly (readonly [Feature, HandlerName])[] = Object.values(
  Feature,
).flatMap((feature) =>
  (Object.values(GALAXY_METHODS) as MethodInfo<HandlerName>[])
    .filter((entry) => "feature" in entry && entry.feature === feature)
    .map((entry) => [feature, (entry as { handler: HandlerName }).handler] as const)
);
