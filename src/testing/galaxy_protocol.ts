/**
 * The protocol seen from Galaxy's side: what each answer and each notification of an
 * integration must look like (wire schemas derived from the record schemas), and which
 * values are secrets.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import {
  type BatchImportMethod,
  type ElementValue,
  Feature,
  GALAXY_METHODS,
  type GalaxyMethod,
  type MethodInfo,
  methodsOf,
  plainObject,
  Platform,
} from "../protocol/mod.ts";
import {
  describeIssues,
  toCamelCase,
  wireObject,
  wireRecords,
  type WireSchema,
} from "./wire_schemas.ts";

/**
 * The outcome of checking a value received from the integration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAnswer, type Checked } from "@galaxy-ts/runtime/testing";
 * const checked: Checked = checkAnswer("ping", null);
 * assert(checked.ok && checked.value === null);
 * ```
 */
export type Checked =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: string[] };

const noParams = v.nullish(v.strictObject({}));
const wireError = v.object({
  code: v.pipe(v.number(), v.integer()),
  message: v.string(),
  data: v.optional(plainObject),
});

/**
 * How one batched import looks from Galaxy's side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMPORT_SPECS, type ImportSpec } from "@galaxy-ts/runtime/testing";
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

/** The wire schema of one element's value, as the method table describes it. */
function valueSchema(value: ElementValue): v.GenericSchema {
  if ("record" in value) {
    const record = wireRecords[value.record];
    return value.list ? v.array(record) : record;
  }
  return v.nullable(
    v.pipe(v.number(), v.integer(), v.minValue(value.min), v.maxValue(value.max)),
  );
}

/** The schema of an import's success notification: `[idKey]` when it has one, and the value. */
function successSchema(entry: BatchImportMethod): WireSchema<Record<string, unknown>> {
  return wireObject({
    ...(entry.successHasId ? { [entry.idKey]: v.string() } : {}),
    [entry.valueKey]: valueSchema(entry.value),
  });
}

function importSpec(entry: BatchImportMethod & { method: GalaxyMethod }): ImportSpec {
  const idName = toCamelCase(entry.idKey);
  const valueName = toCamelCase(entry.valueKey);
  return {
    method: entry.method,
    name: entry.name,
    idsParam: entry.idsParam,
    feature: entry.feature,
    success: entry.success,
    failure: entry.failure,
    finished: entry.finished,
    partial: entry.partial,
    paged: entry.mode === "pages",
    idKey: entry.idKey,
    element: (p) => {
      const value = p[valueName] ?? null;
      // Records that carry their id (game times, library settings) have no id beside them.
      const id = entry.successHasId ? p[idName] : (value as Record<string, unknown>)[idName];
      return { id: String(id), value };
    },
  };
}

/**
 * Every batched import, by its start request, from the method table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMPORT_SPECS } from "@galaxy-ts/runtime/testing";
 * const spec = IMPORT_SPECS.get("start_achievements_import");
 * assert(spec?.success === "game_achievements_import_success");
 * ```
 */
export const IMPORT_SPECS: ReadonlyMap<string, ImportSpec> = new Map(
  methodsOf("batch").map((entry) => [entry.method, importSpec(entry)]),
);

const authentication = v.union([wireRecords.Authentication, wireRecords.NextStep]);

function answerSchema(entry: MethodInfo, method: GalaxyMethod): v.GenericSchema | undefined {
  switch (entry.kind) {
    case "lifecycle":
      return method === "get_capabilities"
        ? wireObject({
          platform_name: v.picklist(Object.values(Platform)),
          features: v.array(v.picklist(Object.values(Feature))),
          token: v.string(),
        })
        : v.null();
    case "auth":
      return authentication;
    case "list":
      return wireObject({ [entry.resultKey]: v.array(wireRecords[entry.record]) });
    case "batch":
      return v.null();
    default:
      // Notifications (actions, ignored ones) have no answer.
      return undefined;
  }
}

/** What each request's `result` must be, by method, from the method table. */
const ANSWERS: Partial<Record<GalaxyMethod, v.GenericSchema>> = {};
for (const [method, entry] of Object.entries(GALAXY_METHODS) as [GalaxyMethod, MethodInfo][]) {
  const schema = answerSchema(entry, method);
  if (schema) ANSWERS[method] = schema;
}

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
for (const entry of methodsOf("batch")) {
  const spec = IMPORT_SPECS.get(entry.method)!;
  NOTIFICATIONS[spec.success] = successSchema(entry);
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
 * import { checkAnswer } from "@galaxy-ts/runtime/testing";
 * const checked = checkAnswer("import_owned_games", { owned_games: [{ game_id: 1 }] });
 * assert(!checked.ok && checked.problems[0].startsWith("owned_games[0].game_id"));
 * ```
 */
export function checkAnswer(method: string, result: unknown): Checked {
  const schema = ANSWERS[method as GalaxyMethod];
  if (!schema) return { ok: true, value: result };
  if (GALAXY_METHODS[method as GalaxyMethod].kind === "auth") {
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
 * import { checkNotification } from "@galaxy-ts/runtime/testing";
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
 * import { INTEGRATION_REQUESTS } from "@galaxy-ts/runtime/testing";
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
 * import { SENSITIVE } from "@galaxy-ts/runtime/testing";
 * assert(SENSITIVE.integrationParams.store_credentials === true);
 * assert(JSON.stringify(SENSITIVE.galaxyResults.get_capabilities) === '["token"]');
 * ```
 */
export const SENSITIVE: {
  readonly galaxyParams: Readonly<Record<string, boolean | readonly string[]>>;
  readonly galaxyResults: Readonly<Record<string, boolean | readonly string[]>>;
  readonly integrationParams: Readonly<Record<string, boolean | readonly string[]>>;
} = {
  galaxyParams: Object.fromEntries(
    Object.entries(GALAXY_METHODS).flatMap(([method, entry]) =>
      "sensitive" in entry ? [[method, entry.sensitive]] : []
    ),
  ),
  galaxyResults: Object.fromEntries(
    Object.entries(GALAXY_METHODS).flatMap(([method, entry]) =>
      "sensitiveResult" in entry ? [[method, entry.sensitiveResult]] : []
    ),
  ),
  integrationParams: { store_credentials: true, push_cache: ["data"], refresh_credentials: true },
};
