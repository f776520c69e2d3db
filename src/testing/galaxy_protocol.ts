/**
 * The protocol seen from Galaxy's side: what each answer and each notification of an
 * integration must look like (wire schemas derived from the record schemas), and which
 * values are secrets.
 *
 * @module
 */
import * as v from "valibot";
import {
  Feature,
  type GalaxyMethod,
  LOCAL_SIZE_RANGE,
  OS_COMPATIBILITY_RANGE,
  Platform,
} from "../protocol/mod.ts";
import { IMPORTS } from "../plugin/mod.ts";
import { describeIssues, wireObject, wireRecords, type WireSchema } from "./wire_schemas.ts";

/**
 * The outcome of checking a value received from the integration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAnswer, type Checked } from "./galaxy_protocol.ts";
 * const checked: Checked = checkAnswer("ping", null);
 * assert(checked.ok && checked.value === null);
 * ```
 */
export type Checked =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: string[] };

const plainObject = v.custom<Record<string, unknown>>(
  (x) => x !== null && typeof x === "object" && !Array.isArray(x),
  "Invalid type: Expected an object",
);
const noParams = v.nullish(v.strictObject({}));
const wireError = v.object({
  code: v.pipe(v.number(), v.integer()),
  message: v.string(),
  data: v.optional(plainObject),
});
const nullableFlags = (range: { readonly min: number; readonly max: number }) =>
  v.nullable(v.pipe(v.number(), v.integer(), v.minValue(range.min), v.maxValue(range.max)));

/**
 * How one batched import looks from Galaxy's side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMPORT_SPECS, type ImportSpec } from "./galaxy_protocol.ts";
 * const spec: ImportSpec = IMPORT_SPECS.get("start_game_times_import")!;
 * assert(spec.finished === "game_times_import_finished" && !spec.paged);
 * ```
 */
export interface ImportSpec {
  /** The request that starts it, e.g. `start_game_times_import`. */
  readonly method: string;
  /** Human name, e.g. "game times". */
  readonly name: string;
  /** The request's parameter holding the ids. */
  readonly idsParam: string;
  /** The feature an integration must declare for it. */
  readonly feature: Feature;
  /** The notification of one id's value. */
  readonly success: string;
  /** The notification of one id's error. */
  readonly failure: string;
  /** The notification that ends the import. */
  readonly finished: string;
  /** The notification after each subscription's pages (subscription games only). */
  readonly partial?: string;
  /** Whether one id may get several success notifications (pages). */
  readonly paged: boolean;
  /** The failure notification's id key, as on the wire. */
  readonly idKey: string;
  /** The id and the value a checked success notification carries. */
  element(params: Record<string, unknown>): { id: string; value: unknown };
}

const SUCCESS: Record<
  string,
  [WireSchema<Record<string, unknown>>, (p: Record<string, unknown>) => [unknown, unknown]]
> = {
  start_achievements_import: [
    wireObject({ game_id: v.string(), unlocked_achievements: v.array(wireRecords.Achievement) }),
    (p) => [p.gameId, p.unlockedAchievements],
  ],
  start_game_times_import: [
    wireObject({ game_time: wireRecords.GameTime }),
    (p) => [(p.gameTime as { gameId: string }).gameId, p.gameTime],
  ],
  start_game_library_settings_import: [
    wireObject({ game_library_settings: wireRecords.GameLibrarySettings }),
    (p) => [(p.gameLibrarySettings as { gameId: string }).gameId, p.gameLibrarySettings],
  ],
  start_os_compatibility_import: [
    wireObject({ game_id: v.string(), os_compatibility: nullableFlags(OS_COMPATIBILITY_RANGE) }),
    (p) => [p.gameId, p.osCompatibility ?? null],
  ],
  start_user_presence_import: [
    wireObject({ user_id: v.string(), presence: wireRecords.UserPresence }),
    (p) => [p.userId, p.presence],
  ],
  start_local_size_import: [
    wireObject({
      game_id: v.string(),
      local_size: nullableFlags(LOCAL_SIZE_RANGE),
    }),
    (p) => [p.gameId, p.localSize ?? null],
  ],
  start_subscription_games_import: [
    wireObject({
      subscription_name: v.string(),
      subscription_games: v.array(wireRecords.SubscriptionGame),
    }),
    (p) => [p.subscriptionName, p.subscriptionGames],
  ],
};

/**
 * Every batched import, by its start request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMPORT_SPECS } from "./galaxy_protocol.ts";
 * const spec = IMPORT_SPECS.get("start_achievements_import");
 * assert(spec?.success === "game_achievements_import_success");
 * ```
 */
export const IMPORT_SPECS: ReadonlyMap<string, ImportSpec> = new Map(
  IMPORTS.map((kind) => {
    const element = SUCCESS[kind.method][1];
    const spec: ImportSpec = {
      method: kind.method,
      name: kind.name,
      idsParam: kind.idsParam,
      feature: kind.feature,
      success: kind.success,
      failure: kind.failure,
      finished: kind.finished,
      partial: kind.partial,
      paged: kind.mode === "pages",
      idKey: kind.idKey,
      element: (p) => {
        const [id, value] = element(p);
        return { id: String(id), value };
      },
    };
    return [kind.method, spec];
  }),
);

const authentication = v.union([wireRecords.Authentication, wireRecords.NextStep]);

/** What each request's `result` must be, by method. */
const ANSWERS: Partial<Record<GalaxyMethod, v.GenericSchema>> = {
  get_capabilities: wireObject({
    platform_name: v.picklist(Object.values(Platform)),
    features: v.array(v.picklist(Object.values(Feature))),
    token: v.string(),
  }),
  initialize_cache: v.null(),
  ping: v.null(),
  shutdown: v.null(),
  init_authentication: authentication,
  pass_login_credentials: authentication,
  import_owned_games: wireObject({ owned_games: v.array(wireRecords.Game) }),
  import_local_games: wireObject({ local_games: v.array(wireRecords.LocalGame) }),
  import_friends: wireObject({ friend_info_list: v.array(wireRecords.UserInfo) }),
  import_subscriptions: wireObject({ subscriptions: v.array(wireRecords.Subscription) }),
};
for (const method of IMPORT_SPECS.keys()) ANSWERS[method as GalaxyMethod] = v.null();

/** What each notification an integration may send must carry, by method. */
const NOTIFICATIONS: Record<string, v.GenericSchema> = {
  store_credentials: plainObject,
  push_cache: v.strictObject({ data: plainObject }),
  owned_game_added: wireObject({ owned_game: wireRecords.Game }),
  owned_game_updated: wireObject({ owned_game: wireRecords.Game }),
  owned_game_removed: wireObject({ game_id: v.string() }),
  achievement_unlocked: wireObject({ game_id: v.string(), achievement: wireRecords.Achievement }),
  local_game_status_changed: wireObject({ local_game: wireRecords.LocalGame }),
  friend_added: wireObject({ friend_info: wireRecords.UserInfo }),
  friend_updated: wireObject({ friend_info: wireRecords.UserInfo }),
  friend_removed: wireObject({ user_id: v.string() }),
  game_time_updated: wireObject({ game_time: wireRecords.GameTime }),
  user_presence_updated: wireObject({ user_id: v.string(), presence: wireRecords.UserPresence }),
  authentication_lost: noParams,
};
for (const spec of IMPORT_SPECS.values()) {
  NOTIFICATIONS[spec.success] = SUCCESS[spec.method][0];
  NOTIFICATIONS[spec.failure] = wireObject({
    [spec.idKey]: v.string(),
    error: wireError,
  });
  NOTIFICATIONS[spec.finished] = noParams;
  if (spec.partial) NOTIFICATIONS[spec.partial] = wireObject({ subscription_name: v.string() });
}

function check(schema: v.GenericSchema, value: unknown): Checked {
  const result = v.safeParse(schema, value);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, problems: describeIssues(result.issues) };
}

/**
 * Checks the `result` of a request Galaxy sent; the value is camelCase. Methods without a
 * known answer shape pass as they are.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAnswer } from "./galaxy_protocol.ts";
 * const checked = checkAnswer("import_owned_games", { owned_games: [{ game_id: 1 }] });
 * assert(!checked.ok && checked.problems[0].startsWith("owned_games[0].game_id"));
 * ```
 */
export function checkAnswer(method: string, result: unknown): Checked {
  const schema = ANSWERS[method as GalaxyMethod];
  if (!schema) return { ok: true, value: result };
  if (method === "init_authentication" || method === "pass_login_credentials") {
    // A union's issues say little; pick the record by its marker instead.
    const isNextStep = result !== null && typeof result === "object" && "next_step" in result;
    return check(isNextStep ? wireRecords.NextStep : wireRecords.Authentication, result);
  }
  return check(schema, result);
}

/**
 * Checks a notification an integration sent; `undefined` when Galaxy knows no such
 * notification. The value is the params in camelCase.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNotification } from "./galaxy_protocol.ts";
 * assert(checkNotification("owned_game_removed", { game_id: "1" })?.ok === true);
 * assert(checkNotification("game_added", {}) === undefined);
 * ```
 */
export function checkNotification(method: string, params: unknown): Checked | undefined {
  const schema = NOTIFICATIONS[method];
  return schema ? check(schema, params) : undefined;
}

/**
 * Requests an integration may send to Galaxy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INTEGRATION_REQUESTS } from "./galaxy_protocol.ts";
 * assert(INTEGRATION_REQUESTS.has("refresh_credentials"));
 * ```
 */
export const INTEGRATION_REQUESTS: ReadonlySet<string> = new Set(["refresh_credentials"]);

/**
 * Which parts of a message never reach a transcript or the screen: the params of
 * Galaxy's requests, and the params (or answer) of the integration's messages.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SENSITIVE } from "./galaxy_protocol.ts";
 * assert(SENSITIVE.integrationParams.store_credentials === true);
 * assert(JSON.stringify(SENSITIVE.galaxyResults.get_capabilities) === '["token"]');
 * ```
 */
export const SENSITIVE: {
  readonly galaxyParams: Readonly<Record<string, boolean | readonly string[]>>;
  readonly galaxyResults: Readonly<Record<string, boolean | readonly string[]>>;
  readonly integrationParams: Readonly<Record<string, boolean | readonly string[]>>;
} = {
  galaxyParams: {
    initialize_cache: ["data"],
    init_authentication: ["stored_credentials"],
    pass_login_credentials: ["credentials", "cookies"],
  },
  // The token identifies this session; Galaxy checks it, nobody else needs to read it.
  galaxyResults: { get_capabilities: ["token"] },
  integrationParams: { store_credentials: true, push_cache: ["data"], refresh_credentials: true },
};
