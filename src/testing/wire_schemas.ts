/**
 * Valibot schemas of the records as they travel on the wire (snake_case), derived from the
 * camelCase record schemas of `src/protocol`: parsing a wire value checks it the way Galaxy
 * would and gives back the camelCase record an integration returned.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import {
  type RecordName,
  schemaChecks,
  type SchemaNode,
  schemaNode,
  schemas,
  toSnakeCase,
} from "../protocol/mod.ts";
import type * as T from "../protocol/mod.ts";

// deno-lint-ignore no-explicit-any
type AnySchema = v.GenericSchema & Record<string, any>;

/** Every record type by its schema's name, so that parsing is typed. */
export interface RecordTypes {
  /** See {@linkcode T.LicenseType}. */
  LicenseType: T.LicenseType;
  /** See {@linkcode T.PresenceState}. */
  PresenceState: T.PresenceState;
  /** See {@linkcode T.Authentication}. */
  Authentication: T.Authentication;
  /** See {@linkcode T.Cookie}. */
  Cookie: T.Cookie;
  /** See {@linkcode T.NextStepAuthParams}. */
  NextStepAuthParams: T.NextStepAuthParams;
  /** See {@linkcode T.NextStep}. */
  NextStep: T.NextStep;
  /** See {@linkcode T.LicenseInfo}. */
  LicenseInfo: T.LicenseInfo;
  /** See {@linkcode T.Dlc}. */
  Dlc: T.Dlc;
  /** See {@linkcode T.Game}. */
  Game: T.Game;
  /** See {@linkcode T.Achievement}. */
  Achievement: T.Achievement;
  /** See {@linkcode T.LocalGame}. */
  LocalGame: T.LocalGame;
  /** See {@linkcode T.UserInfo}. */
  UserInfo: T.UserInfo;
  /** See {@linkcode T.GameTime}. */
  GameTime: T.GameTime;
  /** See {@linkcode T.GameLibrarySettings}. */
  GameLibrarySettings: T.GameLibrarySettings;
  /** See {@linkcode T.UserPresence}. */
  UserPresence: T.UserPresence;
  /** See {@linkcode T.Subscription}. */
  Subscription: T.Subscription;
  /** See {@linkcode T.SubscriptionGame}. */
  SubscriptionGame: T.SubscriptionGame;
}

/** A schema that checks a wire (snake_case) value and outputs its camelCase form. */
export type WireSchema<Out = unknown> = v.GenericSchema<unknown, Out>;

const derived = new WeakMap<v.GenericSchema, AnySchema>();

/**
 * An object whose wire keys are given: checked strictly (an unknown key is an error, as
 * every record schema is strict), then its keys renamed through `names` (wire → output).
 */
function renamed(entries: v.ObjectEntries, names: Map<string, string>): AnySchema {
  return v.pipe(
    v.strictObject(entries),
    v.transform((input: Record<string, unknown>) => {
      const out: Record<string, unknown> = {};
      for (const [wire, name] of names) {
        // Absent and null both mean "not set" on the way in; absent is what we keep.
        if (input[wire] !== undefined && input[wire] !== null) out[name] = input[wire];
      }
      return out;
    }),
  ) as unknown as AnySchema;
}

/**
 * Builds the wire schema of a camelCase schema: object keys become snake_case, nested
 * schemas are derived the same way, and validations (integer, ranges, checks) are kept;
 * a pipe's checks run on the camelCase output, as they were written for it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { wireSchema } from "./wire_schemas.ts";
 * const schema = wireSchema(v.strictObject({ gameId: v.string() }));
 * const game = v.parse(schema, { game_id: "1" }) as { gameId: string };
 * assert(game.gameId === "1");
 * ```
 */
export function wireSchema(schema: v.GenericSchema): WireSchema {
  let out = derived.get(schema);
  if (out) return out;
  out = base(schemaNode(schema));
  const checks = schemaChecks(schema);
  if (checks.length > 0) {
    out = (v.pipe as unknown as (...items: unknown[]) => AnySchema)(out, ...checks);
  }
  derived.set(schema, out);
  return out;
}

function base(node: SchemaNode): AnySchema {
  switch (node.kind) {
    case "array":
      return v.array(wireSchema(node.item)) as AnySchema;
    case "record":
      // Keys of a record are data (e.g. URL patterns), not field names: kept as they are.
      return v.record(
        node.key as v.GenericSchema<string, string>,
        wireSchema(node.value),
      ) as AnySchema;
    case "wrapped":
      return v.nullish(wireSchema(node.wrapped), node.fallback as never) as unknown as AnySchema;
    case "object": {
      const entries: v.ObjectEntries = {};
      const names = new Map<string, string>();
      for (const [key, field] of Object.entries(node.entries)) {
        const wire = toSnakeCase(key);
        entries[wire] = wireSchema(field);
        names.set(wire, key);
      }
      return renamed(entries, names);
    }
    case "leaf":
      // Leaves (strings, numbers, picklists, unknown) look the same on both sides.
      return node.schema as AnySchema;
  }
}

/**
 * An object schema with the given wire keys whose output has camelCase keys, for
 * parameters and results (which are not records but are checked the same way).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { wireObject } from "./wire_schemas.ts";
 * const params = wireObject({ user_id: v.string() });
 * assert(v.parse(params, { user_id: "7" }).userId === "7");
 * ```
 */
export function wireObject<E extends v.ObjectEntries>(
  entries: E,
): WireSchema<Record<string, unknown>> {
  const names = new Map(Object.keys(entries).map((wire) => [wire, toCamelCase(wire)]));
  return renamed(entries, names) as WireSchema<Record<string, unknown>>;
}

/**
 * snake_case to camelCase, the inverse of `toSnakeCase` for the names Galaxy uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toCamelCase } from "@galaxy-ts/runtime/testing";
 * assert(toCamelCase("end_uri_regex") === "endUriRegex");
 * ```
 */
export function toCamelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The wire schema of every record, by record name. */
export const wireRecords: { [K in RecordName]: WireSchema<RecordTypes[K]> } = Object.fromEntries(
  Object.entries(schemas).map(([name, schema]) => [name, wireSchema(schema)]),
) as { [K in RecordName]: WireSchema<RecordTypes[K]> };

/**
 * What is wrong with a value, one line per problem, each naming the wire path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { describeIssues } from "./wire_schemas.ts";
 * const result = v.safeParse(v.object({ a: v.string() }), { a: 1 });
 * if (!result.success) assert(describeIssues(result.issues)[0].startsWith("a: "));
 * ```
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    let path = "";
    for (const item of issue.path ?? []) {
      const key = (item as { key: unknown }).key;
      path += typeof key === "number" ? `[${key}]` : `${path ? "." : ""}${String(key)}`;
    }
    // valibot words a missing field as an invalid key; say it plainly.
    const message = issue.received === "undefined" && issue.message.startsWith("Invalid key")
      ? "missing (required)"
      : issue.message;
    return path ? `${path}: ${message}` : message;
  });
}
