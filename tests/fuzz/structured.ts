// The structure-aware part of the generator: params read from each method's valibot schema
// in the method table (valid values, boundary values, each field of a wrong type, missing
// and extra fields, huge strings and arrays, deep nesting), envelopes of every kind, and
// Galaxy-like sessions (§10 of protocol.md). Secret markers go only where the table says a
// param is sensitive, so that any marker on stderr is a leak.
import type * as v from "valibot";
import type { Random } from "./random.ts";
import { IMPORTS, NOTIFICATIONS, REQUESTS } from "./methods.ts";

/** A schema as the generator walks it. */
export type Shape =
  | { t: "object"; entries: Record<string, Shape>; strict: boolean }
  | { t: "array"; item: Shape }
  | { t: "string" }
  | { t: "number" }
  | { t: "boolean" }
  /** An object of anything (the table's custom plain-object check). */
  | { t: "plain" }
  /** `wrapped`, absent (optional) or null (nullable). */
  | { t: "maybe"; wrapped: Shape; nullable: boolean; optional: boolean }
  | { t: "any" };

// deno-lint-ignore no-explicit-any
type AnySchema = v.GenericSchema & Record<string, any>;

const shapes = new WeakMap<object, Shape>();

/**
 * The shape of `schema`; a schema kind it does not know makes the fuzz fail at once, so that
 * a new kind of param in the table is never silently left unfuzzed.
 */
export function shapeOf(schema: v.GenericSchema): Shape {
  const cached = shapes.get(schema);
  if (cached) return cached;
  const s = schema as AnySchema;
  let shape: Shape;
  switch (s.type) {
    case "object":
    case "strict_object":
    case "loose_object":
      shape = {
        t: "object",
        strict: s.type === "strict_object",
        entries: Object.fromEntries(
          Object.entries(s.entries as Record<string, v.GenericSchema>).map((
            [k, e],
          ) => [k, shapeOf(e)]),
        ),
      };
      break;
    case "array":
      shape = { t: "array", item: shapeOf(s.item) };
      break;
    case "string":
    case "number":
    case "boolean":
      shape = { t: s.type };
      break;
    case "custom":
      // The only custom schema of the table is its plain-object check; make sure.
      if (s["~run"]({ value: {} }, {}).issues || !s["~run"]({ value: [] }, {}).issues) {
        throw new TypeError("a custom params schema that is not the plain-object check");
      }
      shape = { t: "plain" };
      break;
    case "nullish":
    case "optional":
    case "nullable":
      shape = {
        t: "maybe",
        wrapped: shapeOf(s.wrapped),
        nullable: s.type !== "optional",
        optional: s.type !== "nullable",
      };
      break;
    case "unknown":
    case "any":
      shape = { t: "any" };
      break;
    default:
      throw new TypeError(`the fuzz cannot generate params of schema type ${s.type}`);
  }
  shapes.set(schema, shape);
  return shape;
}

/** The params shape of a method of the table. */
export function paramsShape(method: string): Extract<Shape, { t: "object" }> {
  const entry = REQUESTS[method] ?? NOTIFICATIONS[method];
  const shape = shapeOf(entry.params);
  if (shape.t !== "object") throw new TypeError(`params of ${method} are not an object`);
  return shape;
}

/** JSON texts that JSON.stringify cannot produce (kept as raw text). */
export class Raw {
  constructor(readonly text: string) {}
}

/** JSON text of `value`, with Raw parts as they are. */
export function json(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(json).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${
      Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${json(v)}`).join(",")
    }}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Secret markers: `MKR` and 16 hex digits, or a 16-digit number starting 48151623. Both are
 * long enough to count as secrets (the runtime leaves cache values under 12 characters,
 * other values under 6, unmasked: a cache holds ordinary words too).
 */
export const MARKER = /MKR[0-9a-f]{16}|48151623\d{8}/;

/** Integer ids beyond 2^53: echoed as rounded doubles, two of them would collide. */
export const BIG_IDS = [
  "9007199254740993",
  "-9007199254740995",
  "12345678901234567890123",
  "18446744073709551617",
  "9007199254740993000",
];

const STRINGS = ["", "a", "é", "😀", "\u0000", "\n", "\u2028", "\\", '"', "\ud800", "null"];

/** Ids the fixture knows, by the import's ids param (fixture-plugin.md). */
const POOLS: Record<string, string[]> = {
  game_ids: ["g0", "g1", "g2", "g17", "g123456", "g010", "backend_error", "crash", "x", ""],
  user_id_list: ["f1", "f2", "f3", "backend_error", "crash", ""],
  subscription_names: ["Pass", "nope", "backend_error", "crash"],
};

/** Params generated from the method table, and the envelopes around them. */
export class Structured {
  #galaxyId = 0;
  /** Inside a huge array: its items stay small, so that a line stays under ~16 MB. */
  #small = false;
  constructor(readonly r: Random) {}

  /** A secret marker, string or number. */
  marker(): unknown {
    return this.r.chance(0.8)
      ? `MKR${this.r.next().toString(16).padStart(8, "0")}${
        this.r.next().toString(16).padStart(8, "0")
      }`
      : 4815162300000000 + this.r.int(1e8);
  }

  string(): string {
    if (this.r.chance(0.5)) return this.r.pick(STRINGS);
    let s = "";
    for (let n = this.r.int(12); n > 0; n--) {
      s += String.fromCodePoint(this.r.chance(0.8) ? 32 + this.r.int(95) : this.r.int(0x10000));
    }
    return s;
  }

  /** Any small JSON value; with `secret`, its leaves are often markers. */
  any(depth = 0, secret = false): unknown {
    if (secret && this.r.chance(0.4)) return this.marker();
    switch (this.r.int(depth > 2 ? 5 : 7)) {
      case 0:
        return null;
      case 1:
        return this.r.chance(0.5);
      case 2:
        return this.r.pick<unknown>([0, -1, 1.5, 2 ** 53, 1e308, new Raw("1e400"), new Raw("-0")]);
      case 3:
      case 4:
        return this.string();
      case 5: {
        const out: unknown[] = [];
        for (let i = this.r.int(4); i > 0; i--) out.push(this.any(depth + 1, secret));
        return out;
      }
      default:
        return this.plainObject(depth + 1, secret);
    }
  }

  plainObject(depth = 0, secret = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = this.r.int(4); i > 0; i--) {
      out[
        this.r.chance(0.2) ? this.r.pick(["__proto__", "constructor", "", "token"]) : this.string()
      ] = this.any(depth, secret);
    }
    return out;
  }

  /** A large or deep object: where size limits and depth limits of secret indexing live. */
  bigObject(secret: boolean): Record<string, unknown> {
    switch (this.r.int(5)) {
      case 0: { // many long strings first, the marker last
        const out: Record<string, unknown> = {};
        const n = this.r.pick([300, 600, 5000]);
        for (let i = 0; i < n; i++) out[`k${i}`] = `v${i}-${"x".repeat(40)}`;
        out.last = secret ? this.marker() : "last";
        return out;
      }
      case 1: { // deep
        const depth = this.r.pick([9, 20, 64, 500]);
        let inner: unknown = secret ? this.marker() : "bottom";
        for (let i = 0; i < depth; i++) inner = this.r.chance(0.5) ? { a: inner } : [inner];
        return { deep: inner };
      }
      case 2: // one huge string, then the marker
        return {
          big: "y".repeat(this.r.pick([1 << 16, 1 << 20, 3 << 20])),
          token: secret ? this.marker() : "t",
        };
      case 3: { // many values of every type before the marker
        const list: unknown[] = [];
        for (let i = 0; i < 5000; i++) list.push(i % 3 === 0 ? i : i % 3 === 1 ? `s${i}` : null);
        list.push(secret ? this.marker() : 0);
        return { list };
      }
      default:
        return this.plainObject(0, secret);
    }
  }

  /** A valid value of `shape`; `field` names the param (for the fixture's id pools). */
  valid(shape: Shape, field: string, secret: boolean): unknown {
    switch (shape.t) {
      case "object": {
        const out: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(shape.entries)) {
          if (s.t === "maybe" && s.optional && this.r.chance(0.25)) continue;
          out[k] = this.valid(s, k, secret);
        }
        if (!shape.strict && this.r.chance(0.5)) out[this.string()] = this.any(1);
        return out;
      }
      case "array": {
        const huge = !this.#small && this.r.chance(0.03);
        const n = huge ? this.r.pick([1000, 10_000]) : this.r.pick([0, 1, 1, 2, 3, 6]);
        const out: unknown[] = [];
        const small = this.#small;
        this.#small ||= huge;
        for (let i = 0; i < n; i++) out.push(this.valid(shape.item, field, secret));
        this.#small = small;
        return out;
      }
      case "string": {
        const pool = POOLS[field];
        if (pool) {
          if (this.r.chance(0.01)) return "prepare_fail";
          if (this.r.chance(0.002)) return "slow";
          return this.r.chance(0.9) ? this.r.pick(pool) : this.string();
        }
        if (field === "step") return this.r.pick(["", "web_session", this.string()]);
        if (field === "game_id") return this.r.chance(0.7) ? "g1" : this.string();
        if (!this.#small && this.r.chance(0.01)) return "z".repeat(1 << 20);
        return this.string();
      }
      case "number":
        return this.r.pick([0, -1, 1.5, 2 ** 53, new Raw("1e400")]);
      case "boolean":
        return this.r.chance(0.5);
      case "plain":
        if (field === "stored_credentials") return this.credentials(secret);
        if (!this.#small && this.r.chance(0.1)) return this.bigObject(secret);
        if (field === "data" && this.r.chance(0.3)) {
          return { greeting: secret ? this.marker() : this.string() };
        }
        return this.plainObject(0, secret);
      case "maybe":
        return shape.nullable && this.r.chance(0.2)
          ? null
          : this.valid(shape.wrapped, field, secret);
      case "any":
        return this.any(0, secret);
    }
  }

  credentials(secret: boolean): Record<string, unknown> {
    const token = this.r.pick<unknown>([
      "ok",
      "ok",
      "refresh",
      "zzz",
      5,
      secret ? this.marker() : "x",
    ]);
    switch (this.r.int(4)) {
      case 0:
        return {};
      case 1:
        return { token };
      case 2:
        return { token, refresh_token: secret ? this.marker() : "r" };
      default:
        return this.r.chance(0.5) && !this.#small
          ? { ...this.bigObject(secret), token }
          : this.plainObject(0, secret);
    }
  }

  /** A value that is not of `shape`'s type. */
  wrong(shape: Shape, secret: boolean): unknown {
    const s = secret && this.r.chance(0.5) ? this.marker() : this.string();
    if (shape.t === "array" && this.r.chance(0.5)) {
      // An array with one element of a wrong type among valid ones.
      return [this.valid(shape.item, "", false), this.wrong(shape.item, secret)];
    }
    const others: unknown[] = [null, true, 0, -1.5, new Raw("1e400"), s, [], [s], {}, { a: s }];
    const candidates = others.filter((x) => !fits(shape, x));
    return candidates.length ? this.r.pick(candidates) : s;
  }

  /** Params for `method`: valid, at a boundary, or wrong in one way (the oracle judges). */
  params(method: string): unknown {
    const shape = paramsShape(method);
    const entry = REQUESTS[method] ?? NOTIFICATIONS[method];
    const sensitive = new Set<string>("sensitive" in entry ? entry.sensitive ?? [] : []);
    const secret = sensitive.size > 0 && this.r.chance(0.6);
    const keys = Object.keys(shape.entries);
    const valid = () => {
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const s = shape.entries[k];
        if (s.t === "maybe" && s.optional && this.r.chance(0.25)) continue;
        out[k] = this.valid(s, k, secret && sensitive.has(k));
      }
      return out;
    };
    const p = valid();
    switch (this.r.int(10)) {
      case 0:
      case 1:
      case 2:
      case 3:
        return p;
      case 4: // a field of a wrong type
        if (keys.length) {
          const k = this.r.pick(keys);
          p[k] = this.wrong(shape.entries[k], secret && sensitive.has(k));
        } else p[this.string()] = this.any();
        return p;
      case 5: // a field missing
        if (keys.length) delete p[this.r.pick(keys)];
        return p;
      case 6: // an extra field (never a secret: only the table's sensitive params are)
        p[
          this.r.pick([
            "extra",
            "id",
            "__proto__",
            "jsonrpc",
            this.string(),
            ...keys.map((k) => k + "_"),
          ])
        ] = this.any();
        return p;
      case 7: // every field wrong
        for (const k of keys) p[k] = this.wrong(shape.entries[k], secret && sensitive.has(k));
        return p;
      case 8: // params not an object
        return this.r.pick<unknown>([null, [], [p], 0, "params", true, new Raw("1e400")]);
      default: // absent: the message gets no params member
        return ABSENT;
    }
  }

  /** A request id: Galaxy's decimal strings, numbers, huge, weird. */
  id(unique: () => string | number): unknown {
    switch (this.r.int(8)) {
      case 0:
        return new Raw(this.r.pick(BIG_IDS));
      case 1:
        return this.r.pick<unknown>([1.5, -7, 0, 1e21]);
      case 2:
        return "i".repeat(this.r.pick([1 << 10, 1 << 16])) + unique();
      default:
        return unique();
    }
  }

  /** The next of this connection's Galaxy-style ids. */
  galaxyId(): string {
    return String(this.#galaxyId++);
  }

  /** A message calling `method`, with an envelope that is right or wrong in one way. */
  message(method: string, params: unknown, id: () => unknown): Record<string, unknown> {
    const m: Record<string, unknown> = { jsonrpc: "2.0" };
    const notification = method in NOTIFICATIONS ? this.r.chance(0.85) : this.r.chance(0.05);
    if (!notification) m.id = id();
    else if (this.r.chance(0.2)) m.id = null;
    m.method = method;
    if (params !== ABSENT) m.params = params;
    // The envelope itself wrong: only for messages without a secret (a line that is not a
    // request cannot be known to hold one).
    if (this.r.chance(0.06) && !MARKER.test(json(m))) {
      switch (this.r.int(4)) {
        case 0:
          delete m.jsonrpc;
          break;
        case 1:
          m.jsonrpc = this.r.pick<unknown>(["1.0", 2, null, "2.0 "]);
          break;
        case 2:
          m.id = this.r.pick<unknown>([{}, [], true]);
          break;
        default:
          m[this.r.pick(["extra", "Method"])] = 1;
      }
    }
    return m;
  }

  /** A structure-aware call of any method of the table. */
  call(id: () => unknown): Record<string, unknown> {
    const method = this.r.pick(ALL_METHODS);
    return this.message(method, this.params(method), id);
  }

  /**
   * A Galaxy-like stretch of a session (§10): Galaxy's ids from "0", start-up, login,
   * re-authentication, owned and local games together, bursts of one-id imports, actions.
   * Returns lines, grouped as Galaxy writes them (one group per write).
   */
  galaxy(): string[][] {
    const id = () => this.galaxyId();
    const req = (method: string, params: unknown) =>
      json({ jsonrpc: "2.0", id: id(), method, params });
    const groups: string[][] = [];
    if (this.r.chance(0.5)) groups.push([req("ping", {})]);
    for (let step = 1 + this.r.int(5); step > 0; step--) {
      switch (this.r.int(6)) {
        case 0:
          groups.push([req(
            "init_authentication",
            this.r.pick([{}, { stored_credentials: null }, {
              stored_credentials: this.credentials(true),
            }]),
          )]);
          break;
        case 1:
          groups.push([req("pass_login_credentials", {
            step: "",
            credentials: { end_uri: `http://127.0.0.1/done?code=${this.marker()}` },
            cookies: [{ name: "session", value: this.marker() }],
          })]);
          break;
        case 2:
          groups.push([req("import_owned_games", {}), req("import_local_games", {})]);
          break;
        case 3: { // a burst of one-id imports of one or two kinds
          const kinds = Object.keys(IMPORTS);
          const a = this.r.pick(kinds);
          const b = this.r.chance(0.5) ? this.r.pick(kinds) : a;
          const burst: string[] = [];
          for (let n = 2 + this.r.int(this.r.chance(0.1) ? 200 : 30); n > 0; n--) {
            const method = n % 2 ? a : b;
            const key = IMPORTS[method].idsParam;
            burst.push(req(method, { [key]: [this.valid({ t: "string" }, key, false)] }));
          }
          groups.push(burst);
          break;
        }
        case 4:
          groups.push([
            json({
              jsonrpc: "2.0",
              method: this.r.pick(Object.keys(NOTIFICATIONS)),
              params: { game_id: "g1" },
            }),
          ]);
          break;
        default:
          groups.push([
            req("ping", {}),
            req("import_friends", {}),
            req("import_subscriptions", {}),
          ]);
      }
    }
    return groups;
  }
}

/** Whether `x` is of `shape`'s type at its top level (arrays: only the empty one counts). */
function fits(shape: Shape, x: unknown): boolean {
  const object = x !== null && typeof x === "object" && !Array.isArray(x) && !(x instanceof Raw);
  switch (shape.t) {
    case "string":
      return typeof x === "string";
    case "number":
      return typeof x === "number" || x instanceof Raw;
    case "boolean":
      return typeof x === "boolean";
    case "array":
      return Array.isArray(x) && x.length === 0;
    case "plain":
    case "object":
      return object;
    case "maybe":
      return x === null || fits(shape.wrapped, x);
    case "any":
      return true;
  }
}

/** Marks params that are left out of the message. */
export const ABSENT: unique symbol = Symbol("absent");

const ALL_METHODS = [...Object.keys(REQUESTS), ...Object.keys(NOTIFICATIONS)].filter((m) =>
  m !== "shutdown"
);
