/**
 * Checking the parameters Galaxy sends, against the schemas of the method table, before
 * any handler runs.
 *
 * @module
 */
import * as v from "valibot";
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
 * ```
 */
export function paramsChecker(method: GalaxyMethod): (params: Params) => Params {
  const schema = GALAXY_METHODS[method].params as v.GenericSchema<Params, Params>;
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
