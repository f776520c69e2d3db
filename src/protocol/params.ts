/**
 * Schemas of the parameters Galaxy sends, by method, in their wire (snake_case) form; they
 * are checked before any handler runs.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { InvalidParams, type Params } from "../wire/mod.ts";

const none = v.strictObject({});
const ids = v.array(v.string());
// A custom check, not v.record: the cache can be tens of MB, and a record schema would
// copy every entry only to find that each is there.
const plainObject = v.custom<Record<string, unknown>>(
  (x) => x !== null && typeof x === "object" && !Array.isArray(x),
  "Invalid type: Expected an object",
);
const gameId = v.strictObject({ game_id: v.string() });

/** Parameters of every request and notification Galaxy sends, by method name. */
export const paramSchemas = {
  get_capabilities: none,
  initialize_cache: v.strictObject({ data: plainObject }),
  ping: none,
  shutdown: none,
  init_authentication: v.strictObject({ stored_credentials: v.nullish(plainObject) }),
  pass_login_credentials: v.strictObject({
    step: v.string(),
    credentials: plainObject,
    cookies: v.array(plainObject),
  }),
  import_owned_games: none,
  import_local_games: none,
  import_friends: none,
  import_subscriptions: none,
  start_achievements_import: v.strictObject({ game_ids: ids }),
  start_game_times_import: v.strictObject({ game_ids: ids }),
  start_game_library_settings_import: v.strictObject({ game_ids: ids }),
  start_os_compatibility_import: v.strictObject({ game_ids: ids }),
  start_user_presence_import: v.strictObject({ user_id_list: ids }),
  start_local_size_import: v.strictObject({ game_ids: ids }),
  start_subscription_games_import: v.strictObject({ subscription_names: ids }),
  launch_game: gameId,
  install_game: gameId,
  uninstall_game: gameId,
  launch_platform_client: none,
  shutdown_platform_client: none,
} as const;

/** The name of a method or notification Galaxy sends. */
export type GalaxyMethod = keyof typeof paramSchemas;

/**
 * A params checker for `method`: returns the params when they fit the schema, throws
 * InvalidParams whose message and `data.issues` name every bad field otherwise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramsChecker } from "./params.ts";
 * const check = paramsChecker("start_game_times_import");
 * try {
 *   check({ game_ids: 5 });
 * } catch (error) {
 *   assert(String(error).includes("game_ids"));
 * }
 * ```
 */
export function paramsChecker(method: GalaxyMethod): (params: Params) => Params {
  const schema = paramSchemas[method] as v.GenericSchema<Params, Params>;
  return (params) => {
    const result = v.safeParse(schema, params);
    if (result.success) return result.output;
    const issues = result.issues.map((issue) => ({
      path: v.getDotPath(issue) ?? "",
      message: issue.message,
    }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new InvalidParams(`Invalid params: ${summary}`, { issues });
  };
}
