/**
 * One reading of a valibot schema for everything that walks the record schemas (the wire
 * encoders, the generated types, the testing kit's wire schemas): what kind of node it is,
 * its children, and the validations its pipe adds. Each walker recurses through
 * {@linkcode schemaNode} and keeps its own cache.
 *
 * @module
 */
import type * as v from "npm:valibot@^1.2.0";

// deno-lint-ignore no-explicit-any
type AnySchema = v.GenericSchema & Record<string, any>;

/** A validation action of a pipe (integer, min_value, max_value, check, …). */
// deno-lint-ignore no-explicit-any
export type SchemaCheck = Record<string, any> & {
  readonly kind: "validation";
  readonly type: string;
};

/** What a schema is, as the walkers see it. */
export type SchemaNode =
  /** A string, number, boolean, picklist, unknown or any: `type` says which. */
  | { readonly kind: "leaf"; readonly type: string; readonly schema: v.GenericSchema }
  /** An array of `item`. */
  | { readonly kind: "array"; readonly item: v.GenericSchema }
  /** A record whose keys are data, kept as they are, and whose values are `value`. */
  | { readonly kind: "record"; readonly key: v.GenericSchema; readonly value: v.GenericSchema }
  /** `wrapped`, or absent or null (nullish, optional, nullable), with its default. */
  | { readonly kind: "wrapped"; readonly wrapped: v.GenericSchema; readonly fallback: unknown }
  /** An object with these fields; `strict` when an unknown key is an error. */
  | {
    readonly kind: "object";
    readonly entries: Readonly<Record<string, v.GenericSchema>>;
    readonly strict: boolean;
  };

const LEAVES = new Set(["string", "number", "boolean", "picklist", "unknown", "any"]);

/**
 * What `schema` is; a pipe is read as its first schema (its validations are
 * {@linkcode schemaChecks}).
 *
 * @param schema A schema of the kinds the records use.
 * @returns Its node.
 * @throws {TypeError} For a kind the records do not use (a union, a tuple, …).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { schemaNode } from "./schema_node.ts";
 * const node = schemaNode(v.pipe(v.array(v.string()), v.minLength(1)));
 * assert(node.kind === "array" && schemaNode(node.item).kind === "leaf");
 * ```
 */
export function schemaNode(schema: v.GenericSchema): SchemaNode {
  const pipe = (schema as AnySchema).pipe as AnySchema[] | undefined;
  // v.pipe copies its first schema's properties and adds `pipe`, whose head is that schema.
  const s = (pipe?.length ? pipe[0] : schema) as AnySchema;
  if (LEAVES.has(s.type)) return { kind: "leaf", type: s.type, schema: s };
  switch (s.type) {
    case "array":
      return { kind: "array", item: s.item };
    case "record":
      return { kind: "record", key: s.key, value: s.value };
    case "nullish":
    case "optional":
    case "nullable":
      return { kind: "wrapped", wrapped: s.wrapped, fallback: s.default };
    case "object":
    case "strict_object":
    case "loose_object":
      return { kind: "object", entries: s.entries, strict: s.type === "strict_object" };
    default:
      throw new TypeError(`schema type ${s.type} is not supported`);
  }
}

/**
 * The validations `schema`'s pipe adds (none for a schema without a pipe); transforms and
 * metadata (descriptions) are left out.
 *
 * @param schema Any schema.
 * @returns Its validation actions, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { schemaChecks } from "./schema_node.ts";
 * const checks = schemaChecks(v.pipe(v.number(), v.integer(), v.description("count")));
 * assert(checks.length === 1 && checks[0].type === "integer");
 * ```
 */
export function schemaChecks(schema: v.GenericSchema): SchemaCheck[] {
  const pipe = ((schema as AnySchema).pipe ?? []) as SchemaCheck[];
  return pipe.filter((action) => action.kind === "validation");
}
