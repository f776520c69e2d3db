/**
 * Checking the parameters Galaxy sends, against the schemas of the method table, before
 * any handler runs.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { InvalidParams, type Params } from "../wire/mod.ts";
import { GALAXY_METHODS, type GalaxyMethod } from "./methods.ts";

/**
 * A params checker for `method`: returns the params when they fit the schema, throws
 * InvalidParams whose message and `data.issues` name every bad field otherwise.
 *
 * @param method The method's wire name.
 * @returns A function that checks one message's params.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramsChecker } from "./params.ts";
 * const check = paramsChecker("start_game_times_import");
 * assert.throws(() => check({ game_ids: 5 }), /game_ids/);
 * assert.deepEqual(check({ game_ids: ["1"] }), { game_ids: ["1"] });
 * // A method without params takes `{}` and refuses any member.
 * assert.deepEqual(paramsChecker("ping")({}), {});
 * assert.throws(() => paramsChecker("ping")({ extra: 1 }), /extra/);
 * ```
 */
export function paramsChecker(method: GalaxyMethod): (params: Params) => Params {
  const entry = GALAXY_METHODS[method];
  const schema = entry.params as v.GenericSchema<Params, Params>;
  const fast = entry.kind === "batch"
    ? onlyIds(entry.idsParam)
    : takesNone(schema)
    ? isEmpty
    : undefined;
  return (params) => {
    if (fast?.(params)) return params;
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

/** Whether `schema` is an object schema without members (ping's, shutdown's). */
function takesNone(schema: v.GenericSchema): boolean {
  return schema.type === "strict_object" &&
    Object.keys((schema as v.StrictObjectSchema<v.ObjectEntries, undefined>).entries).length === 0;
}

/** `{}` fits a schema without members, no schema run needed (every ping). */
function isEmpty(params: Params): boolean {
  for (const _ in params) return false;
  return true;
}

/**
 * Accepts `{[key]: string[]}` and nothing else, with a plain loop: a start of 20,000 ids
 * checked by the schema costs milliseconds of a cold process (an object per id). Whatever
 * it does not accept goes through the schema, for its exact issues.
 */
function onlyIds(key: string): (params: Params) => boolean {
  return (params) => {
    for (const k in params) if (k !== key) return false;
    const ids = params[key];
    if (!Array.isArray(ids)) return false;
    for (let i = 0; i < ids.length; i++) if (typeof ids[i] !== "string") return false;
    return true;
  };
}
