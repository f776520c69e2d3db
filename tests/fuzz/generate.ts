// The case generator: hostile lines of every class, and hostile ways of delivering them.
import { concatBytes } from "../../src/wire/mod.ts";
import { Random } from "./random.ts";
import { expectLine, type OracleContext, REFRESH_OK, splitLines } from "./oracle.ts";
import { IMPORTS, NOTIFICATIONS, REQUESTS } from "./methods.ts";
import { ABSENT, json, paramsShape, Raw, type Shape, Structured } from "./structured.ts";

/** One fuzz case: bytes written to the integration, and how Galaxy answers its requests. */
export interface FuzzCase {
  /** The class of bad input. */
  kind: Kind;
  /** What is written, one write per chunk. */
  writes: Uint8Array[];
  /** Lines answering each refresh_credentials request (`$ID`, `$NUM`: its id). */
  refresh?: string[];
}

/** Classes of bad input, with their share of the cases. */
export const KINDS = {
  /** Calls of every method of the table, params and envelopes from its schemas. */
  "structured": 30,
  /** Galaxy-like stretches of a session (§10), Galaxy's ids from "0". */
  "galaxy": 8,
  /** A Galaxy-like session ended by shutdown mid-import: then a new process. */
  "session-end": 1,
  "invalid-json": 8,
  "invalid-utf8": 5,
  "blank-lines": 3,
  "non-object": 3,
  "bad-envelope": 8,
  "unknown-method": 5,
  "wrong-params": 22,
  "valid-calls": 12,
  "huge": 2,
  "deep": 3,
  "stray-response": 6,
  "batch": 8,
  "refresh": 5,
  "mixed": 10,
} as const;

export type Kind = keyof typeof KINDS;

const encoder = new TextEncoder();
const REQUEST_NAMES = Object.keys(REQUESTS);
const NOTIFICATION_NAMES = Object.keys(NOTIFICATIONS);
const START_IMPORTS = Object.keys(IMPORTS);

const WEIRD_IDS: unknown[] = [
  0,
  1,
  -1,
  2.5,
  1e21,
  -0,
  9007199254740993,
  "",
  "x",
  "id with spaces",
  "😀",
  "\u0000",
  new Raw('"\\ud800"'),
  "null",
  "1",
  "0",
];

const WEIRD_KEYS = ["__proto__", "constructor", "toString", "", "x", "😀", "id", "jsonrpc"];

const WEIRD_STRINGS = [
  "",
  "a",
  "é",
  "😀",
  "\u0000",
  "\n",
  "\r\n",
  "\u2028",
  "\\",
  '"',
  "backend_error",
  "crash",
  "g1",
];

class Gen {
  #uid = 0;
  readonly s: Structured;
  constructor(readonly r: Random, readonly caseIndex: number) {
    this.s = new Structured(r);
  }

  /** An id unique in the case. */
  unique(): string | number {
    return this.r.chance(0.5)
      ? `c${this.caseIndex}-${this.#uid++}`
      : this.caseIndex * 100 + this.#uid++;
  }

  #usedIds = new Set<unknown>();

  /** A request id, unique in its case (two requests with one id could not be told apart). */
  id(): unknown {
    if (this.r.chance(0.3)) {
      const id = this.r.pick(WEIRD_IDS);
      const key = id instanceof Raw ? id.text : JSON.stringify(id);
      if (!this.#usedIds.has(key)) {
        this.#usedIds.add(key);
        return id;
      }
    }
    return this.r.chance(0.5)
      ? `c${this.caseIndex}-${this.#uid++}`
      : this.caseIndex * 100 + this.#uid++;
  }

  string(): string {
    if (this.r.chance(0.5)) return this.r.pick(WEIRD_STRINGS);
    let s = "";
    const n = this.r.int(12);
    for (let i = 0; i < n; i++) {
      s += String.fromCodePoint(this.r.chance(0.8) ? 32 + this.r.int(95) : this.r.int(0x10000));
    }
    return s;
  }

  /** Any JSON value, small. */
  value(depth = 0): unknown {
    const kinds = depth > 2 ? 7 : 9;
    switch (this.r.int(kinds)) {
      case 0:
        return null;
      case 1:
        return this.r.chance(0.5);
      case 2:
        return this.r.pick([0, -1, 1.5, 2 ** 53, -0, 1e308, 42]);
      case 3:
        return new Raw(
          this.r.pick(["1e400", "-1e400", "1E2", "0.0000001", "123456789012345678901234567890"]),
        );
      case 4:
      case 5:
        return this.string();
      case 6:
        return this.r.pick([[], {}, [""], ["g1"], [{}]]);
      case 7: {
        const out: unknown[] = [];
        for (let i = this.r.int(4); i > 0; i--) out.push(this.value(depth + 1));
        return out;
      }
      default: {
        const out: Record<string, unknown> = {};
        for (let i = this.r.int(4); i > 0; i--) out[this.key()] = this.value(depth + 1);
        return out;
      }
    }
  }

  key(): string {
    return this.r.chance(0.3) ? this.r.pick(WEIRD_KEYS) : this.string();
  }

  /** Valid params for `method`, from its schema in the method table. */
  validParams(method: string): Record<string, unknown> {
    return this.s.valid(paramsShape(method), "", false) as Record<string, unknown>;
  }

  /** Params for `method` that are wrong in one way or more. */
  wrongParams(method: string): unknown {
    const valid = this.validParams(method);
    const keys = Object.keys(valid);
    switch (this.r.int(7)) {
      case 0: // params of a wrong type altogether
        return this.r.pick([null, [], [valid], 0, "params", true, new Raw("1e400")]);
      case 1: // a required param missing
        if (keys.length > 0) delete valid[this.r.pick(keys)];
        else valid[this.key()] = this.value();
        return valid;
      case 2: // an extra param
        valid[this.r.pick(WEIRD_KEYS.concat(["extra", "game_id", "data"]))] = this.value();
        return valid;
      case 3:
      case 4: // a param of every wrong type
        if (keys.length > 0) {
          valid[this.r.pick(keys)] = this.value();
        } else valid[this.key()] = this.value();
        return valid;
      case 5: // an array param with a wrongly typed element
        if (keys.length > 0) {
          valid[this.r.pick(keys)] = [this.r.pick(["g1", {}]), this.value()];
        }
        return valid;
      default: // every param wrong
        for (const k of keys) valid[k] = this.value();
        return valid;
    }
  }

  request(method: string, params: unknown, withParams = true): Record<string, unknown> {
    const m: Record<string, unknown> = { jsonrpc: "2.0", id: this.id(), method };
    if (withParams) m.params = params;
    return m;
  }

  notification(method: string, params: unknown): Record<string, unknown> {
    const m: Record<string, unknown> = { jsonrpc: "2.0", method, params };
    if (this.r.chance(0.2)) m.id = null;
    if (this.r.chance(0.1)) delete m.params;
    return m;
  }

  /** A valid call of any method but shutdown, or a valid notification. */
  validCall(): Record<string, unknown> {
    if (this.r.chance(0.15)) {
      const method = this.r.pick(NOTIFICATION_NAMES);
      return this.notification(method, this.validParams(method));
    }
    const method = this.r.pick(REQUEST_NAMES.filter((m) => m !== "shutdown"));
    const params = this.validParams(method);
    return this.request(method, params, Object.keys(params).length > 0 || this.r.chance(0.5));
  }

  wrongCall(): Record<string, unknown> {
    const method = this.r.pick([...REQUEST_NAMES, ...NOTIFICATION_NAMES]);
    return this.r.chance(0.8) || !(method in NOTIFICATIONS)
      ? this.request(method, this.wrongParams(method))
      : this.notification(method, this.wrongParams(method));
  }

  invalidJson(): string {
    const good = json(this.validCall());
    switch (this.r.int(6)) {
      case 0: // truncated
        return good.slice(0, 1 + this.r.int(good.length - 1));
      case 1: // a byte flipped to a JSON-breaking character
      {
        const at = this.r.int(good.length);
        return good.slice(0, at) + this.r.pick(["{", "}", "]", ",", ":", '"', "'", "\\"]) +
          good.slice(at + 1);
      }
      default:
        return this.r.pick([
          "{",
          "}",
          "{not json",
          "{'jsonrpc':'2.0'}",
          '{"jsonrpc":"2.0",}',
          "NaN",
          "Infinity",
          "undefined",
          '{"a":1}{"b":2}',
          "/* comment */ {}",
          '{"jsonrpc":"2.0","id":1,"method":"ping"} x',
          "\u000b{}",
          "\f",
          "\uFEFF{}",
          "[1,]",
          "01",
          '"\\x41"',
          '"unterminated',
          "\u00a0",
          "tru",
        ]);
    }
  }

  invalidUtf8(): Uint8Array {
    const good = encoder.encode(json(this.validCall()));
    const bad = this.r.pick([
      [0xff],
      [0xfe, 0xff],
      [0xc0, 0x80], // overlong NUL
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0x80],
      [0xe2, 0x82], // cut short
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0x00],
    ]);
    if (this.r.chance(0.3)) return this.r.bytes(1 + this.r.int(300));
    const at = this.r.int(good.length + 1);
    const out = new Uint8Array(good.length + bad.length);
    out.set(good.subarray(0, at));
    out.set(bad, at);
    out.set(good.subarray(at), at + bad.length);
    return out;
  }

  badEnvelope(): string {
    const m = this.validCall();
    switch (this.r.int(8)) {
      case 0:
        delete m.jsonrpc;
        break;
      case 1:
        m.jsonrpc = this.r.pick(["1.0", "2", 2, 2.0, null, "2.0 ", ["2.0"], true]);
        break;
      case 2:
        m[this.r.pick(["extra", "params2", "Method", "ID", "result2", "__proto__"])] = this.value();
        break;
      case 3:
        m.method = this.r.pick([null, 1, [], {}, true, ["ping"]]);
        break;
      case 4:
        delete m.method;
        if (!("id" in m)) m.id = this.id();
        break;
      case 5:
        m.id = this.r.pick([{}, [], true, false, [1], { id: 1 }]);
        break;
      case 6:
        m.id = new Raw(this.r.pick(["1e400", "-1e400", "1e309"]));
        break;
      default:
        // Duplicate members: the last one counts, as in JSON.parse.
        return json(m).replace(
          '"jsonrpc":"2.0"',
          this.r.chance(0.5)
            ? '"jsonrpc":"1.0","jsonrpc":"2.0"'
            : '"jsonrpc":"2.0","jsonrpc":"1.0"',
        );
    }
    return json(m);
  }

  unknownMethod(): Record<string, unknown> {
    const method = this.r.pick([
      "no_such_method",
      "",
      "Ping",
      "PING",
      " ping",
      "ping\u0000",
      "__proto__",
      "constructor",
      "toString",
      "hasOwnProperty",
      "valueOf",
      "refresh_credentials",
      "store_credentials",
      "owned_game_added",
      "launch_game",
      "rpc.discover",
      this.string(),
    ]);
    const params = this.r.chance(0.5) ? {} : this.value();
    return this.r.chance(0.75) ? this.request(method, params) : this.notification(method, params);
  }

  strayResponse(): string {
    const id = this.r.pick<unknown>([
      "never-" + this.caseIndex,
      "0",
      0,
      -1,
      1e12,
      "1e12",
      null,
      2.5,
      "",
      undefined,
      {},
      [],
    ]);
    const m: Record<string, unknown> = { jsonrpc: "2.0" };
    if (id !== undefined) m.id = id;
    switch (this.r.int(5)) {
      case 0:
        m.result = this.value();
        break;
      case 1:
        m.error = this.r.pick<unknown>([
          { code: 1, message: "x" },
          { code: "1", message: 5 },
          null,
          "error",
          { code: 1e400 },
          { code: 4, message: "Backend error", data: this.value() },
          [],
        ]);
        break;
      case 2:
        m.result = null;
        m.error = { code: 0, message: "" };
        break;
      case 3:
        m.result = this.value();
        m[this.r.pick(["extra", "method", "params"])] = this.value();
        break;
      default:
        m.error = this.value();
    }
    return json(m);
  }

  nonObject(): string {
    return json(
      this.r.pick<unknown>([0, 42, -1.5, "text", "", null, true, false, new Raw("1e400")]),
    );
  }

  blank(): string {
    return this.r.pick(["", " ", "\t", "\r", "  \t \r", "\r\r", " \r "]);
  }

  deep(): string {
    const depth = this.r.pick([64, 1000, 10_000, 100_000]);
    const [open, close] = this.r.chance(0.5) ? ["[", "]"] : ['{"a":', "}"];
    const nested = open.repeat(depth) + (open === "[" ? "" : "1") + close.repeat(depth);
    const deepObject = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
    switch (this.r.int(6)) {
      case 0:
        return nested;
      case 1:
        return json(
          this.request(this.r.pick(REQUEST_NAMES.filter((m) => m !== "shutdown")), new Raw(nested)),
        );
      case 2:
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "initialize_cache",
          params: { data: new Raw(deepObject) },
        });
      case 3:
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "init_authentication",
          params: { stored_credentials: new Raw(deepObject) },
        });
      case 4:
        return json({ jsonrpc: "2.0", id: new Raw(nested), method: "ping" });
      default:
        return `[${json(this.validCall())},${nested}]`;
    }
  }

  huge(): string {
    const size = this.r.chance(0.1) ? 8 << 20 : (64 << 10) << this.r.int(5);
    const big = "x".repeat(size);
    switch (this.r.int(8)) {
      case 0:
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "initialize_cache",
          params: { data: { big } },
        });
      case 1:
        return json({ jsonrpc: "2.0", id: this.id(), method: "ping", params: { big } });
      case 2:
        return json({ jsonrpc: "2.0", id: big.slice(0, 1 << 20), method: "ping" });
      case 3:
        return json({ jsonrpc: "2.0", id: this.id(), method: big.slice(0, 1 << 20) });
      case 4: {
        const n = this.r.pick([1000, 10_000]);
        const ids = Array.from({ length: n }, (_, i) => `g${i}`);
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: this.r.pick(
            START_IMPORTS.filter((m) => IMPORTS[m].idsParam === "game_ids"),
          ),
          params: { game_ids: ids },
        });
      }
      case 5:
        return "{" + big;
      case 6: {
        const data: Record<string, string> = {};
        for (let i = 0; i < size / 64; i++) data[`key${i}`] = "v".repeat(50);
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "initialize_cache",
          params: { data },
        });
      }
      default:
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "init_authentication",
          params: { stored_credentials: { token: big } },
        });
    }
  }

  batch(): string {
    const n = this.r.pick([0, 1, 2, 3, 5, 10, 50]);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      switch (this.r.int(6)) {
        case 0:
          items.push(json(this.wrongCall()));
          break;
        case 1:
          items.push(this.strayResponse());
          break;
        case 2:
          items.push(this.r.chance(0.5) ? this.nonObject() : "[]");
          break;
        case 3:
          items.push(json(this.unknownMethod()));
          break;
        default:
          items.push(json(this.validCall()));
      }
    }
    return `[${items.join(",")}]`;
  }

  refreshScript(): string[] {
    const noise = [
      '{"jsonrpc":"2.0","id":"never","result":{"token":"ok"}}',
      '{"jsonrpc":"2.0","id":$ID,"result":{"token":"ok"},"extra":1}',
      '{"jsonrpc":"1.0","id":$ID,"result":{"token":"ok"}}',
      '{"jsonrpc":"2.0","id":$ID,"result":',
      "",
    ];
    const terminal = [
      REFRESH_OK,
      '{"jsonrpc":"2.0","id":$NUM,"result":{"token":"ok"}}',
      '{"jsonrpc":"2.0","id":$ID,"result":{"token":"nope"}}',
      '{"jsonrpc":"2.0","id":$ID,"result":null}',
      '{"jsonrpc":"2.0","id":$ID,"result":"ok"}',
      '{"jsonrpc":"2.0","id":$ID,"result":[]}',
      '{"jsonrpc":"2.0","id":$ID,"error":{"code":106,"message":"Access denied","data":{"internal_type":"AccessDenied"}}}',
      '{"jsonrpc":"2.0","id":$ID,"error":{"code":4}}',
      '{"jsonrpc":"2.0","id":$ID,"error":{"code":"x","message":[]}}',
      '{"jsonrpc":"2.0","id":$ID,"error":"boom"}',
      '{"jsonrpc":"2.0","id":$ID,"error":{"code":1,"message":"m","data":[1]}}',
      '{"jsonrpc":"2.0","id":$ID,"result":{"token":"ok"},"error":{"code":2,"message":"both"}}',
      '[{"jsonrpc":"2.0","id":$ID,"result":{"token":"ok"}}]',
    ];
    const script: string[] = [];
    for (let i = this.r.int(3); i > 0; i--) script.push(this.r.pick(noise));
    script.push(this.r.pick(terminal));
    // A second answer to the same id: must be ignored.
    if (this.r.chance(0.3)) script.push(this.r.pick(terminal));
    return script.map((line) => line + "\n");
  }

  line(kind: Kind): string | Uint8Array {
    switch (kind) {
      case "invalid-json":
        return this.invalidJson();
      case "invalid-utf8":
        return this.invalidUtf8();
      case "blank-lines":
        return this.blank();
      case "non-object":
        return this.nonObject();
      case "bad-envelope":
        return this.badEnvelope();
      case "unknown-method":
        return json(this.unknownMethod());
      case "wrong-params":
        return json(this.wrongCall());
      case "valid-calls":
        return json(this.validCall());
      case "huge":
        return this.huge();
      case "deep":
        return this.deep();
      case "stray-response":
        return this.strayResponse();
      case "batch":
        return this.batch();
      case "refresh":
        return json({
          jsonrpc: "2.0",
          id: this.id(),
          method: "init_authentication",
          params: { stored_credentials: { token: "refresh" } },
        });
      case "structured":
        return this.structured();
      case "galaxy":
      case "session-end":
      case "mixed": {
        const kinds = (Object.keys(KINDS) as Kind[]).filter((k) => !NOT_MIXED.has(k));
        return this.line(this.r.pick(kinds));
      }
    }
  }

  /** One structure-aware call, or a batch of them (big integer ids included). */
  structured(): string {
    const id = () => this.s.id(() => this.unique());
    if (this.r.chance(0.8)) return json(this.s.call(id));
    const items: string[] = [];
    for (let n = 1 + this.r.int(8); n > 0; n--) items.push(json(this.s.call(id)));
    return `[${items.join(",")}]`;
  }

  /** Galaxy-like writes: one per group of lines, or the whole cut anywhere. */
  galaxy(groups: string[][]): Uint8Array[] {
    const text = groups.map((g) => g.map((line) => line + "\n").join(""));
    if (this.r.chance(0.5)) return text.map((t) => encoder.encode(t));
    return this.deliver(encoder.encode(text.join("")));
  }

  /** A Galaxy-like session that ends with shutdown while imports run (§4, §10). */
  sessionEnd(): Uint8Array[] {
    const groups = this.s.galaxy();
    const kinds = Object.keys(IMPORTS);
    const burst: string[] = [];
    const ask = (method: string, ids: string[]) =>
      json({
        jsonrpc: "2.0",
        id: this.s.galaxyId(),
        method,
        params: { [IMPORTS[method].idsParam]: ids },
      });
    for (let n = 1 + this.r.int(10); n > 0; n--) {
      const method = this.r.pick(kinds);
      burst.push(ask(method, this.r.chance(0.3) ? ["slow"] : ["g1", "g2", "f1", "Pass"]));
    }
    const shutdown = json({
      jsonrpc: "2.0",
      id: this.s.galaxyId(),
      method: "shutdown",
      params: {},
    });
    // Mid-import: in the same write as the burst, or just after it.
    if (this.r.chance(0.5)) burst.push(shutdown);
    groups.push(burst);
    if (!burst.includes(shutdown)) groups.push([shutdown]);
    if (this.r.chance(0.3)) {
      groups[groups.length - 1].push(
        json({ jsonrpc: "2.0", id: this.s.galaxyId(), method: "ping", params: {} }),
        ask(this.r.pick(kinds), ["g1"]),
      );
    }
    return this.galaxy(groups);
  }

  /** Cuts `bytes` into writes: whole, line by line, byte by byte, or at random places. */
  deliver(bytes: Uint8Array): Uint8Array[] {
    const mode = bytes.length <= 600 ? this.r.int(4) : this.r.int(3);
    if (mode === 0 || bytes.length < 2) return [bytes];
    if (mode === 1) {
      const out: Uint8Array[] = [];
      let start = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 10) {
          out.push(bytes.subarray(start, i + 1));
          start = i + 1;
        }
      }
      if (start < bytes.length) out.push(bytes.subarray(start));
      return out;
    }
    if (mode === 3) return Array.from(bytes, (b) => new Uint8Array([b]));
    const cuts = new Set<number>();
    for (let i = 1 + this.r.int(8); i > 0; i--) cuts.add(1 + this.r.int(bytes.length - 1));
    const sorted = [...cuts].sort((a, b) => a - b);
    const out: Uint8Array[] = [];
    let start = 0;
    for (const cut of sorted) {
      out.push(bytes.subarray(start, cut));
      start = cut;
    }
    out.push(bytes.subarray(start));
    return out;
  }
}

function toBytes(line: string | Uint8Array): Uint8Array {
  return typeof line === "string" ? encoder.encode(line) : line;
}

/** Whether the case holds a valid shutdown request, which would end the session. */
export function endsSession(c: FuzzCase): boolean {
  const ctx: OracleContext = { token: "", refreshScript: c.refresh ?? [REFRESH_OK] };
  for (const line of splitLines(concatBytes(c.writes))) {
    try {
      expectLine(line, ctx);
    } catch {
      // The oracle refuses cases it cannot judge; the generator's checks come first.
    }
  }
  return ctx.shutdown === true;
}

/** Case number `index` of the run with `seed`: the same pair always gives the same case. */
export function generate(seed: number, index: number): FuzzCase {
  for (let attempt = 0;; attempt++) {
    const g = new Gen(new Random(seed, index * 16 + attempt), index);
    const kind = g.r.weighted(KINDS);
    if (kind === "galaxy" || kind === "session-end") {
      const c: FuzzCase = {
        kind,
        writes: kind === "galaxy" ? g.galaxy(g.s.galaxy()) : g.sessionEnd(),
      };
      if (g.r.chance(0.3)) c.refresh = g.refreshScript();
      if (kind === "session-end" || !endsSession(c)) return c;
      continue;
    }
    const lines: Uint8Array[] = [];
    const count = kind === "mixed" ? 2 + g.r.int(30) : g.r.chance(0.1) ? 2 : 1;
    for (let i = 0; i < count; i++) {
      lines.push(toBytes(g.line(kind)));
      lines.push(toBytes(g.r.chance(0.05) ? "\r\n" : "\n"));
    }
    const c: FuzzCase = { kind, writes: g.deliver(concatBytes(lines)) };
    if (kind === "refresh" || g.r.chance(0.2)) c.refresh = g.refreshScript();
    if (!endsSession(c)) return c;
  }
}

/** Kinds that a mixed case does not draw lines from (whole sessions, huge lines). */
const NOT_MIXED = new Set<Kind>(["huge", "mixed", "galaxy", "session-end"]);

const WRONG_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  new Raw("1e400"),
  "",
  "x",
  [],
  ["g1", 1],
  [null],
  [[]],
  {},
  { a: 1 },
  [{}],
];

/** The smallest valid value of `shape` that the fixture answers without a round trip. */
function minimal(shape: Shape): unknown {
  switch (shape.t) {
    case "object":
      return Object.fromEntries(
        Object.entries(shape.entries).map(([k, e]) => [k, minimal(e)]),
      );
    case "array":
      return [minimal(shape.item)];
    case "string":
      return "g1";
    case "number":
      return 1;
    case "boolean":
      return true;
    case "maybe":
      return minimal(shape.wrapped);
    case "plain":
    case "any":
      return {};
  }
}

/**
 * Every method and notification of the table with params of every wrong type, each param
 * missing, each param of every wrong type, and extra params: the first cases of every run,
 * so that every combination is tried whatever the seed and the number of cases.
 */
export function sweep(): FuzzCase[] {
  const cases: FuzzCase[] = [];
  let n = 0;
  const add = (method: string, params: unknown, notification = false) => {
    const m: Record<string, unknown> = { jsonrpc: "2.0", method };
    if (params !== ABSENT) m.params = params;
    if (!notification) m.id = `sweep-${n++}`;
    const c: FuzzCase = { kind: "wrong-params", writes: [encoder.encode(json(m) + "\n")] };
    if (!endsSession(c)) cases.push(c);
  };
  for (const method of [...REQUEST_NAMES, ...NOTIFICATION_NAMES]) {
    const shape = paramsShape(method);
    const notification = method in NOTIFICATIONS;
    const valid = minimal(shape) as Record<string, unknown>;
    const both = (params: unknown) => {
      add(method, params);
      if (notification) add(method, params, true);
    };
    for (const params of [valid, ABSENT, null, [], [valid], 0, "x", true, new Raw("1e400")]) {
      both(params);
    }
    for (const key of Object.keys(shape.entries)) {
      const { [key]: _, ...missing } = valid;
      both(missing);
      for (const value of WRONG_VALUES) both({ ...valid, [key]: value });
    }
    both({ ...valid, extra: 1 });
    both(
      JSON.parse(`{"__proto__":{}${Object.keys(valid).length ? "," : ""}${json(valid).slice(1)}`),
    );
  }
  return cases;
}
