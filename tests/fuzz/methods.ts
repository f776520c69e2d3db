// What the fuzz knows of protocol.md: the methods Galaxy calls, their parameters, and the
// error codes an answer may carry. Written from protocol.md, not from the runtime's schemas,
// so that the oracle can disagree with the runtime.

/** The type a parameter must have. */
export type ParamType = "object" | "object?" | "string" | "strings" | "objects";

/** Request methods of protocol.md §4–5, with their parameters (`?`: may be absent). */
export const REQUESTS: Readonly<Record<string, Readonly<Record<string, ParamType>>>> = {
  get_capabilities: {},
  initialize_cache: { data: "object" },
  ping: {},
  shutdown: {},
  init_authentication: { stored_credentials: "object?" },
  pass_login_credentials: { step: "string", credentials: "object", cookies: "objects" },
  import_owned_games: {},
  import_local_games: {},
  import_friends: {},
  import_subscriptions: {},
  start_achievements_import: { game_ids: "strings" },
  start_game_times_import: { game_ids: "strings" },
  start_game_library_settings_import: { game_ids: "strings" },
  start_os_compatibility_import: { game_ids: "strings" },
  start_user_presence_import: { user_id_list: "strings" },
  start_local_size_import: { game_ids: "strings" },
  start_subscription_games_import: { subscription_names: "strings" },
};

/** Notifications Galaxy sends (§5). */
export const NOTIFICATIONS: Readonly<Record<string, Readonly<Record<string, ParamType>>>> = {
  launch_game: { game_id: "string" },
  install_game: { game_id: "string" },
  uninstall_game: { game_id: "string" },
  launch_platform_client: {},
  shutdown_platform_client: {},
};

/** The `*_import_finished` notification of every `start_*_import` (§6). */
export const IMPORT_FINISHED: Readonly<Record<string, string>> = {
  start_achievements_import: "achievements_import_finished",
  start_game_times_import: "game_times_import_finished",
  start_game_library_settings_import: "game_library_settings_import_finished",
  start_os_compatibility_import: "os_compatibility_import_finished",
  start_user_presence_import: "user_presence_import_finished",
  start_local_size_import: "local_size_import_finished",
  start_subscription_games_import: "subscription_games_import_finished",
};

/** Every notification an integration may send (§6, §7). */
export const OUTGOING_NOTIFICATIONS: ReadonlySet<string> = new Set([
  ...Object.values(IMPORT_FINISHED),
  "game_achievements_import_success",
  "game_achievements_import_failure",
  "game_time_import_success",
  "game_time_import_failure",
  "game_library_settings_import_success",
  "game_library_settings_import_failure",
  "os_compatibility_import_success",
  "os_compatibility_import_failure",
  "user_presence_import_success",
  "user_presence_import_failure",
  "local_size_import_success",
  "local_size_import_failure",
  "subscription_games_import_success",
  "subscription_games_import_failure",
  "subscription_games_partial_import_finished",
  "store_credentials",
  "owned_game_added",
  "owned_game_removed",
  "owned_game_updated",
  "achievement_unlocked",
  "local_game_status_changed",
  "friend_added",
  "friend_removed",
  "friend_updated",
  "game_time_updated",
  "user_presence_updated",
  "authentication_lost",
  "push_cache",
]);

/** The error codes of protocol.md §8. */
export const PROTOCOL_CODES: ReadonlySet<number> = new Set([
  -32700,
  -32600,
  -32601,
  -32602,
  -32000,
  -32001,
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  100,
  101,
  103,
  104,
  105,
  106,
  200,
  300,
  400,
  500,
  600,
]);

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function fits(value: unknown, type: ParamType): boolean {
  switch (type) {
    case "object":
      return isPlainObject(value);
    case "object?":
      return value === null || isPlainObject(value);
    case "string":
      return typeof value === "string";
    case "strings":
      return Array.isArray(value) && value.every((x) => typeof x === "string");
    case "objects":
      return Array.isArray(value) && value.every(isPlainObject);
  }
}

/** Whether `params` fit the parameter table `spec`: nothing missing, extra or mistyped. */
export function paramsFit(params: Record<string, unknown>, spec: Record<string, ParamType>) {
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(spec, key) || !fits(params[key], spec[key])) return false;
  }
  for (const [key, type] of Object.entries(spec)) {
    if (!Object.hasOwn(params, key) && !type.endsWith("?")) return false;
  }
  return true;
}
