/**
 * Encoders compiled once from the record schemas: each checks a camelCase record against
 * its schema and builds the snake_case wire shape in the same pass.
 *
 * Checking 100,000 games through a generic validator and then converting them costs more
 * than serializing them; walking the schema once up front and running a closure per field
 * keeps the check on the happy path to a type test and one output object per record.
 *
 * @module
 */
import type * as v from "npm:valibot@^1.2.0";
import { schemaChecks, type SchemaNode, schemaNode } from "./schema_node.ts";
import { isRecord } from "../wire/mod.ts";

/** A record that does not match its schema; `path` leads to the offending value. */
export class RecordError extends TypeError {
  /** Keys and indexes from the top of the checked value to the bad one. */
  readonly path: (string | number)[];
  /** What was expected there. */
  readonly expected: string;
  /** What was found. */
  readonly received: string;

  /** Creates the error for one bad value. */
  constructor(expected: string, received: unknown) {
    super();
    this.path = [];
    this.expected = expected;
    this.received = describe(received);
  }

  /** The path as text, e.g. `owned_games[3].gameTitle`. */
  get where(): string {
    let out = "";
    for (const step of this.path) out += typeof step === "number" ? `[${step}]` : `.${step}`;
    return out.startsWith(".") ? out.slice(1) : out;
  }

  /** The full explanation, computed when read so that the path is complete. */
  override get message(): string {
    const where = this.where;
    return `${where ? where + ": " : ""}expected ${this.expected}, received ${this.received}`;
  }
}

/** Checks a value and returns its wire form; throws {@linkcode RecordError}. */
export type Encoder = (value: unknown) => unknown;

// deno-lint-ignore no-explicit-any
type AnySchema = v.GenericSchema & Record<string, any>;
// deno-lint-ignore no-explicit-any
type AnyAction = Record<string, any>;

/**
 * camelCase to snake_case, the one place where TypeScript names become wire names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toSnakeCase } from "./codec.ts";
 * assert(toSnakeCase("endUriRegex") === "end_uri_regex");
 * ```
 */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return typeof value === "object" ? "an object" : typeof value;
}

function at(step: string | number, error: unknown): never {
  if (error instanceof RecordError) error.path.unshift(step);
  throw error;
}

const cache = new WeakMap<object, Encoder>();

/**
 * Compiles `schema` into an {@linkcode Encoder}; the result is cached per schema.
 *
 * Supports the schema kinds the records use: strict objects (keys converted to
 * snake_case), strings, numbers, booleans, arrays, records (keys kept: they are data),
 * nullish wrappers with defaults, picklists, unknown, and pipes of validations.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { compileEncoder } from "./codec.ts";
 * const encode = compileEncoder(v.strictObject({ gameId: v.string() }));
 * assert(JSON.stringify(encode({ gameId: "1" })) === '{"game_id":"1"}');
 * ```
 */
export function compileEncoder(schema: v.GenericSchema): Encoder {
  let encoder = cache.get(schema);
  if (!encoder) {
    const node = schemaNode(schema);
    // An object's own validations (a check across its fields) go into its generated code.
    encoder = node.kind === "object"
      ? objectEncoder(node.entries as Record<string, AnySchema>, node.strict, schemaChecks(schema))
      : withPipe(schema, base(node));
    cache.set(schema, encoder);
  }
  return encoder;
}

function base(node: SchemaNode): Encoder {
  switch (node.kind) {
    case "leaf":
      return leaf(node.type, node.schema as AnySchema);
    case "array": {
      const lazyItem = compileEncoder(node.item);
      let item: Encoder | undefined;
      return (x) => {
        if (!Array.isArray(x)) throw new RecordError("an array", x);
        item ??= directEncoder(lazyItem);
        const out = new Array(x.length);
        for (let i = 0; i < x.length; i++) {
          try {
            out[i] = item(x[i]);
          } catch (error) {
            at(i, error);
          }
        }
        return out;
      };
    }
    case "record": {
      const value = compileEncoder(node.value);
      return (x) => {
        if (!isRecord(x)) {
          throw new RecordError("an object", x);
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(x)) {
          try {
            out[key] = value(x[key]);
          } catch (error) {
            at(key, error);
          }
        }
        return out;
      };
    }
    case "wrapped": {
      // Absent values are dropped by the enclosing object; a bare nullish value passes.
      const inner = compileEncoder(node.wrapped);
      return (x) => (x === undefined || x === null ? x : inner(x));
    }
    case "object":
      return objectEncoder(node.entries as Record<string, AnySchema>, node.strict, []);
  }
}

function leaf(type: string, schema: AnySchema): Encoder {
  switch (type) {
    case "string":
      return (x) => {
        if (typeof x !== "string") throw new RecordError("a string", x);
        return x;
      };
    case "number":
      return (x) => {
        if (typeof x !== "number" || Number.isNaN(x)) throw new RecordError("a number", x);
        return x;
      };
    case "boolean":
      return (x) => {
        if (typeof x !== "boolean") throw new RecordError("a boolean", x);
        return x;
      };
    case "picklist": {
      const options = new Set<unknown>(schema.options);
      const expected = `one of ${schema.options.map((o: unknown) => JSON.stringify(o)).join(", ")}`;
      return (x) => {
        if (!options.has(x)) throw new RecordError(expected, x);
        return x;
      };
    }
    default:
      // unknown, any
      return (x) => x;
  }
}

/**
 * How the generated code checks a field's present value itself, without a call: a plain
 * string, boolean or picklist, or an integer within bounds. A call per field was most of
 * the cost of a cold import's 20,000 records.
 */
type Inline =
  | { readonly kind: "string" | "boolean" }
  | { readonly kind: "integer"; readonly min: number; readonly max: number }
  | { readonly kind: "picklist"; readonly options: ReadonlySet<unknown> };

interface Field {
  readonly key: string;
  readonly wire: string;
  /** The field's encoder, wrapper included. */
  readonly encode: Encoder;
  /** What the generated code calls for a present value: the wrapped one, unwrapped. */
  readonly present: Encoder;
  readonly optional: boolean;
  readonly fallback: unknown;
  readonly inline: Inline | null;
}

/** The inline check of a leaf with these validations, or null when it needs its encoder. */
function inline(node: SchemaNode, checks: readonly AnyAction[]): Inline | null {
  if (node.kind !== "leaf") return null;
  switch (node.type) {
    case "string":
    case "boolean":
      return checks.length === 0 ? { kind: node.type } : null;
    case "picklist":
      return checks.length === 0
        ? { kind: "picklist", options: new Set((node.schema as AnySchema).options) }
        : null;
    case "number": {
      if (!checks.some((c) => c.type === "integer")) return null;
      let min = -Infinity;
      let max = Infinity;
      for (const check of checks) {
        if (check.type === "min_value") min = Math.max(min, check.requirement);
        else if (check.type === "max_value") max = Math.min(max, check.requirement);
        else if (check.type !== "integer") return null;
      }
      return { kind: "integer", min, max };
    }
    default:
      return null;
  }
}

function field(key: string, schema: AnySchema): Field {
  const node = schemaNode(schema);
  const encode = compileEncoder(schema);
  // A wrapper's own validations apply to the present value: only its encoder knows them.
  const unwrapped = node.kind === "wrapped" && schemaChecks(schema).length === 0
    ? node.wrapped as AnySchema
    : undefined;
  const inner = unwrapped ?? schema;
  const fallback = node.kind === "wrapped" ? node.fallback : undefined;
  return {
    key,
    wire: toSnakeCase(key),
    encode,
    present: unwrapped ? compileEncoder(unwrapped) : encode,
    optional: node.kind === "wrapped",
    fallback: typeof fallback === "function" ? fallback() : fallback,
    inline: node.kind === "wrapped" && !unwrapped
      ? null
      : inline(schemaNode(inner), schemaChecks(inner)),
  };
}

function objectEncoder(
  entries: Record<string, AnySchema>,
  strict: boolean,
  actions: readonly AnyAction[],
): Encoder {
  const fields = Object.entries(entries).map(([key, schema]) => field(key, schema));
  const checks = actions.map(validation);
  const object = slowObjectEncoder(fields, strict);
  const slow: Encoder = checks.length === 0 ? object : (x) => {
    const out = object(x);
    for (const check of checks) check(x);
    return out;
  };
  // Generated on first use: most records are never sent, and startup should not pay.
  let fast: Encoder | undefined;
  const generate = () => fast ??= fastObjectEncoder(fields, strict, actions, slow);
  const lazy: Encoder = (x) => (fast ?? generate())(x);
  generated.set(lazy, generate);
  return lazy;
}

/** How to get the generated encoder behind a lazy one, by the lazy one. */
const generated = new WeakMap<Encoder, () => Encoder>();

/**
 * The generated encoder behind `encoder` (generating it now), or `encoder` itself: for a
 * caller that runs it many times, a call less each time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { compileEncoder, directEncoder } from "./codec.ts";
 * const encode = directEncoder(compileEncoder(v.strictObject({ gameId: v.string() })));
 * assert.deepEqual(encode({ gameId: "1" }), { game_id: "1" });
 * ```
 */
export function directEncoder(encoder: Encoder): Encoder {
  return generated.get(encoder)?.() ?? encoder;
}

/**
 * The happy path of an object encoder, generated once per schema as straight-line code:
 * fixed property names let V8 use inline caches where a loop over the fields does keyed
 * lookups, which made checking 100,000 games cost twice as much; and leaves are checked
 * inline, not by a call each. Any failure hands the value to `slow`, which finds the same
 * failure and reports it with its path; so the generated code never has to explain
 * anything. Only schema keys (passed through JSON.stringify) and numbers of the schema
 * reach the generated source, never data.
 */
function fastObjectEncoder(
  fields: readonly Field[],
  strict: boolean,
  actions: readonly AnyAction[],
  slow: Encoder,
): Encoder {
  const lines = [
    "if (x === null || typeof x !== 'object' || Array.isArray(x)) return slow(x);",
    "try {",
    "const out = {};",
    "let v;",
  ];
  fields.forEach((field, k) => {
    const key = JSON.stringify(field.key);
    const wire = JSON.stringify(field.wire);
    lines.push(`v = x[${key}];`);
    const absent = field.optional
      ? (field.fallback !== undefined ? `out[${wire}] = fallbacks[${k}];` : "")
      : "return slow(x);";
    lines.push(`if (v === undefined || v === null) { ${absent} } else { ${store(field, k)} }`);
  });
  if (strict) {
    const known = fields.map((f) => `k !== ${JSON.stringify(f.key)}`).join(" && ") || "true";
    lines.push(`for (const k in x) if (${known}) return slow(x);`);
  }
  actions.forEach((action, k) => {
    lines.push(
      action.type === "check"
        ? `if (!actions[${k}].requirement(x)) return slow(x);`
        : `checks[${k}](x);`,
    );
  });
  lines.push("return out;", "} catch { return slow(x); }");
  const make = new Function(
    "encoders",
    "fallbacks",
    "options",
    "actions",
    "checks",
    "slow",
    `return function encode(x) {\n${lines.join("\n")}\n};`,
  );
  // Children are called directly, not through their lazy wrappers.
  return make(
    fields.map((f) => directEncoder(f.present)),
    fields.map((f) => f.fallback),
    fields.map((f) => f.inline?.kind === "picklist" ? f.inline.options : undefined),
    actions,
    actions.map(validation),
    slow,
  ) as Encoder;
}

/** The generated statement that checks and stores field `k`'s present value `v`. */
function store(field: Field, k: number): string {
  const wire = JSON.stringify(field.wire);
  const inline = field.inline;
  switch (inline?.kind) {
    case "string":
    case "boolean":
      return `if (typeof v !== "${inline.kind}") return slow(x); out[${wire}] = v;`;
    case "picklist":
      return `if (!options[${k}].has(v)) return slow(x); out[${wire}] = v;`;
    case "integer": {
      const bounds = (Number.isFinite(inline.min) ? ` || v < ${inline.min}` : "") +
        (Number.isFinite(inline.max) ? ` || v > ${inline.max}` : "");
      return `if (!Number.isInteger(v)${bounds}) return slow(x); out[${wire}] = v;`;
    }
    default:
      return `out[${wire}] = encoders[${k}](v);`;
  }
}

/** The reference implementation of an object encoder; it also explains every failure. */
function slowObjectEncoder(fields: readonly Field[], strict: boolean): Encoder {
  const known = new Set(fields.map((f) => f.key));
  return (x) => {
    if (!isRecord(x)) {
      throw new RecordError("an object", x);
    }
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const value = x[field.key];
      if (value === undefined || value === null) {
        if (!field.optional) at(field.key, new RecordError("a value", value));
        // Absent fields are omitted on the wire, not sent as null (protocol §3).
        if (field.fallback !== undefined) out[field.wire] = field.fallback;
        continue;
      }
      try {
        out[field.wire] = field.encode(value);
      } catch (error) {
        at(field.key, error);
      }
    }
    if (strict) {
      for (const key in x) {
        if (!known.has(key)) {
          at(key, new RecordError(`no such field (known: ${[...known].join(", ")})`, x[key]));
        }
      }
    }
    return out;
  };
}

function withPipe(schema: v.GenericSchema, encode: Encoder): Encoder {
  const actions = schemaChecks(schema);
  if (actions.length === 0) return encode;
  const checks = actions.map(validation);
  return (x) => {
    const out = encode(x);
    for (const check of checks) check(x);
    return out;
  };
}

function validation(action: AnyAction): (x: unknown) => void {
  switch (action.type) {
    case "integer":
      return (x) => {
        if (!Number.isInteger(x)) throw new RecordError("an integer", x);
      };
    case "min_value":
      return (x) => {
        if ((x as number) < action.requirement) {
          throw new RecordError(`a value of at least ${action.requirement}`, x);
        }
      };
    case "max_value":
      return (x) => {
        if ((x as number) > action.requirement) {
          throw new RecordError(`a value of at most ${action.requirement}`, x);
        }
      };
    case "check":
      return (x) => {
        if (!action.requirement(x)) throw new RecordError(String(action.message), x);
      };
    default:
      throw new Error(`compileEncoder: validation ${action.type} is not supported`);
  }
}
