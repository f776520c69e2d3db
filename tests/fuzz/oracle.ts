// The oracle: from the bytes of a case alone, what protocol.md and fixture-plugin.md say the
// integration must answer; and the checks every line the integration writes must pass.
import {
  IMPORT_FINISHED,
  IMPORTS,
  isPlainObject,
  NOTIFICATIONS,
  OUTGOING_NOTIFICATIONS,
  paramsFit,
  PROTOCOL_CODES,
  REQUESTS,
} from "./methods.ts";
import { FEATURE_HANDLERS } from "../../src/protocol/mod.ts";

/** One answer the integration owes. */
export interface Expected {
  /** The id the answer carries (null when the request's id could not be known). */
  id: unknown;
  /** The request method, when there was one. */
  method?: string;
  /** Error codes that are right. */
  codes: number[];
  /** Whether a result is right: a check that returns a problem, or false for none. */
  result: false | ((result: unknown) => string | null);
  /** The answer comes only after a refresh_credentials round trip. */
  refresh?: boolean;
  /** An integer id beyond 2^53 as sent: the answer must carry exactly this text. */
  rawId?: string;
  /** A start_*_import's ids: once it is answered null, its notifications are owed. */
  importIds?: string[];
  /** Sent after a shutdown: an answer may come or not, but at most one. */
  optional?: boolean;
}

/** The one array answer a batch is owed. */
export interface ExpectedBatch {
  batch: Expected[];
}

/** What the oracle needs besides the line. */
export interface OracleContext {
  /** The token the integration was started with. */
  token: string;
  /** Lines Galaxy sends back to each refresh_credentials request, `$ID`/`$NUM` standing for its id. */
  refreshScript: readonly string[];
  /** Set when a line holds a valid shutdown request (the fuzz must not send one). */
  shutdown?: boolean;
  /** Ids of our pending requests that a response in the line may resolve. */
  pending?: Set<string>;
  /** Filled with the outcome of a response that resolves a pending request. */
  resolved?: { error: boolean; code: number; result: unknown };
}

/** The default answer to refresh_credentials. */
export const REFRESH_OK = '{"jsonrpc":"2.0","id":$ID,"result":{"token":"ok"}}\n';
const FAKE_PENDING = 987654321;

const err = (id: unknown, code: number, method?: string): Expected => ({
  id,
  method,
  codes: [code],
  result: false,
});
const invalidRequest = (): Expected[] => [err(null, -32600)];

function isJsonWhitespace(byte: number): boolean {
  return byte === 32 || byte === 9 || byte === 13 || byte === 10;
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Splits bytes into lines as protocol.md frames them (a last line without `\n` is kept). */
export function splitLines(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** The answers one line is owed. */
export function expectLine(line: Uint8Array, ctx: OracleContext): (Expected | ExpectedBatch)[] {
  let start = 0;
  let end = line.length;
  while (start < end && isJsonWhitespace(line[start])) start++;
  while (end > start && isJsonWhitespace(line[end - 1])) end--;
  if (start === end) return [];
  let value: unknown;
  const after = ctx.shutdown === true;
  try {
    value = parseWithIds(strictDecoder.decode(line.subarray(start, end)));
  } catch {
    return optional([err(null, -32700)], after);
  }
  if (!Array.isArray(value)) return optional(expectMessage(value, ctx), after);
  if (value.length === 0) return optional(invalidRequest(), after);
  const inner = value.flatMap((m) => expectMessage(m, ctx));
  return inner.length > 0 ? optional([{ batch: inner }], after) : [];
}

function optional<T extends Expected | ExpectedBatch>(list: T[], after: boolean): T[] {
  if (after) {
    for (const e of list) {
      if ("batch" in e) e.batch.forEach((b) => b.optional = true);
      else e.optional = true;
    }
  }
  return list;
}

const rawIds = new WeakMap<object, string>();

/**
 * JSON.parse that remembers the text of every integer `id` beyond 2^53 (what a double cannot
 * hold), so that an echo can be checked exactly. Large lines are parsed plainly (speed).
 */
export function parseWithIds(text: string): unknown {
  // Without a reviver for large lines (speed); a deep one overflows the reviver's stack.
  if (text.length > 65_536) return JSON.parse(text);
  try {
    return JSON.parse(text, function (this: object, key, value, context?: { source?: string }) {
      if (
        key === "id" && typeof value === "number" && !Number.isSafeInteger(value) &&
        context?.source !== undefined && /^-?\d+$/.test(context.source)
      ) rawIds.set(this, context.source);
      return value;
    });
  } catch (error) {
    if (error instanceof SyntaxError) throw error;
    return JSON.parse(text);
  }
}

/** The exact text of a big integer id of a message parsed by {@linkcode parseWithIds}. */
export function rawIdOf(m: object): string | undefined {
  return rawIds.get(m);
}

function expectMessage(m: unknown, ctx: OracleContext): Expected[] {
  if (!isPlainObject(m) || m.jsonrpc !== "2.0") return invalidRequest();
  const keys = Object.keys(m);
  if ("result" in m || "error" in m) {
    if (!keys.every((k) => ["jsonrpc", "id", "result", "error"].includes(k))) {
      return invalidRequest();
    }
    const key = typeof m.id === "string" || typeof m.id === "number" ? String(m.id) : null;
    if (key !== null && ctx.pending?.has(key)) {
      ctx.pending.delete(key);
      if (m.error !== undefined && m.error !== null) {
        const e = m.error as Record<string, unknown>;
        const code = isPlainObject(e) && typeof e.code === "number" ? e.code : 0;
        ctx.resolved = { error: true, code, result: undefined };
      } else {
        ctx.resolved = { error: false, code: 0, result: m.result };
      }
    }
    return [];
  }
  if (!keys.every((k) => ["jsonrpc", "method", "params", "id"].includes(k))) {
    return invalidRequest();
  }
  const { id, method } = m;
  if (typeof method !== "string") return invalidRequest();
  const isNotification = id === undefined || id === null;
  if (!isNotification && typeof id !== "string" && !(typeof id === "number" && isFinite(id))) {
    return invalidRequest();
  }
  const params = "params" in m ? m.params : {};
  if (isNotification) return [];
  if (!isPlainObject(params)) return [err(id, -32602, method)];
  const raw = rawIdOf(m);
  const withRaw = (e: Expected): Expected[] => [raw === undefined ? e : { ...e, rawId: raw }];
  if (!Object.hasOwn(REQUESTS, method)) return withRaw(err(id, -32601, method));
  if (!paramsFit(method, params)) return withRaw(err(id, -32602, method));
  if (ctx.shutdown) return withRaw({ id, method, codes: [-32001], result: () => null });
  if (method === "shutdown") ctx.shutdown = true;
  return withRaw(expectValid(id, method, params, ctx));
}

const ok = (check: (r: unknown) => boolean, what: string) => (r: unknown) =>
  check(r) ? null : `expected ${what}, got ${preview(r)}`;
const isNull = ok((r) => r === null, "null");
const hasList = (key: string, length?: number) =>
  ok(
    (r) =>
      isPlainObject(r) && Array.isArray(r[key]) &&
      (length === undefined || (r[key] as unknown[]).length === length),
    `{${key}: [...]}`,
  );
const isUser = ok((r) => isPlainObject(r) && r.user_id === "u1", "Authentication u1");
const isNextStep = ok((r) => isPlainObject(r) && r.next_step === "web_session", "a NextStep");

function expectValid(
  id: unknown,
  method: string,
  params: Record<string, unknown>,
  ctx: OracleContext,
): Expected {
  const answer = (result: Expected["result"], codes: number[] = []): Expected => ({
    id,
    method,
    codes,
    result,
  });
  switch (method) {
    case "get_capabilities":
      return answer(ok(
        (r) =>
          isPlainObject(r) && r.platform_name === "test" && r.token === ctx.token &&
          Array.isArray(r.features) && r.features.length === FEATURE_COUNT,
        "the fixture's capabilities",
      ));
    case "initialize_cache":
    case "ping":
    case "shutdown":
      return answer(isNull);
    case "init_authentication": {
      const stored = params.stored_credentials as Record<string, unknown> | null | undefined;
      if (!stored || Object.keys(stored).length === 0) return answer(isNextStep);
      if (stored.token === "ok") return answer(isUser);
      if (stored.token !== "refresh") return answer(false, [100]);
      return { ...refreshOutcome(id, method, ctx), refresh: true };
    }
    case "pass_login_credentials":
      return answer(isUser);
  }
  const entry = REQUESTS[method];
  if (entry.kind === "list") return answer(hasList(entry.resultKey, LIST_LENGTHS[method]));
  if (entry.kind !== "batch") throw new Error(`the oracle does not know ${method}`);
  // start_*_import: null (also when queued behind a running one), the fixture's prepare
  // failure, or ImportInProgress when the queue is full.
  const ids = params[entry.idsParam] as string[];
  return {
    ...answer(isNull, ids.includes("prepare_fail") ? [600, 3] : [600]),
    importIds: ids,
  };
}

/** The fixture declares every feature of the table (fixture-plugin.md). */
const FEATURE_COUNT = new Set(FEATURE_HANDLERS.map(([f]) => f)).size;

/** How long the fixture's lists are (fixture-plugin.md, FIXTURE_GAMES unset). */
const LIST_LENGTHS: Record<string, number> = {
  import_owned_games: 3,
  import_local_games: 2,
  import_friends: 2,
  import_subscriptions: 1,
};

/** What the fixture sends for one id of an import: success, or failure with this code. */
export function fixtureOutcome(method: string, id: string): "success" | number {
  const e = IMPORTS[method];
  if (id === "slow") return "success";
  if (id === "backend_error") return 4;
  if (id === "crash") return 0;
  const known = e.idsParam === "game_ids"
    ? /^g(0|[1-9][0-9]*)$/.test(id)
    : e.idsParam === "user_id_list"
    ? id === "f1" || id === "f2"
    : id === "Pass";
  return known ? "success" : 6;
}

/** One notification of an import, as received. */
export interface ImportEvent {
  method: string;
  params: Record<string, unknown> | null;
}

/**
 * Problems of the notifications one import kind sent, given the starts that were answered
 * null, in the order they were sent (imports of one kind run one after another): each
 * accepted start gets one outcome per id and one finished; `cut` (a shutdown) allows the
 * last imports to stop short.
 */
export function checkImports(
  method: string,
  accepted: readonly string[][],
  events: readonly ImportEvent[],
  cut: boolean,
): string | null {
  const e = IMPORTS[method];
  const segments: ImportEvent[][] = [[]];
  for (const ev of events) {
    if (ev.method === e.finished) segments.push([]);
    else segments[segments.length - 1].push(ev);
  }
  const finished = segments.length - 1;
  if (finished > accepted.length || (!cut && finished < accepted.length)) {
    return `${method}: ${accepted.length} accepted, ${finished} × ${e.finished}`;
  }
  const idOf = (ev: ImportEvent): unknown => {
    const p = ev.params ?? {};
    if (e.idKey in p) return p[e.idKey];
    const value = p[e.valueKey];
    return isPlainObject(value) ? value[e.idKey] : undefined;
  };
  for (let k = 0; k < segments.length; k++) {
    const seg = segments[k];
    const ids = accepted[k];
    const complete = k < finished;
    if (!ids) {
      if (seg.length) return `${method}: notifications after the last finished: ${preview(seg)}`;
      continue;
    }
    const queuedFail = ids.includes("prepare_fail");
    const counts = new Map<unknown, { s: number; f: number; p: number; codes: number[] }>();
    for (const ev of seg) {
      const id = idOf(ev);
      if (!ids.includes(id as string)) {
        return `${method}: ${ev.method} for ${preview(id)}, not one of ${preview(ids)}`;
      }
      const c = counts.get(id) ?? { s: 0, f: 0, p: 0, codes: [] };
      counts.set(id, c);
      if (ev.method === e.success) c.s++;
      else if (ev.method === e.failure) {
        c.f++;
        const error = ev.params?.error;
        c.codes.push(isPlainObject(error) ? Number(error.code) : NaN);
      } else c.p++;
    }
    for (const id of new Set(ids)) {
      const n = ids.filter((x) => x === id).length;
      const c = counts.get(id) ?? { s: 0, f: 0, p: 0, codes: [] };
      const want = queuedFail ? 3 : fixtureOutcome(method, id);
      const what = `${method} of ${preview(ids)}: id ${
        preview(id)
      } ×${n}: ${c.s} success, ${c.f} failure (${c.codes}), ${c.p} partial`;
      const pages = e.mode === "pages";
      if (!complete) {
        if (c.s + c.f > (pages ? 2 * n : n) || c.p > n) return `too many outcomes: ${what}`;
        continue;
      }
      if (want === "success") {
        if (c.f !== 0 || c.s !== (pages ? 2 * n : n) || c.p !== (pages ? n : 0)) {
          return `expected success: ${what}`;
        }
      } else if (
        c.s !== 0 || c.f !== n || c.codes.some((code) => code !== want) ||
        c.p !== (pages && !queuedFail ? n : 0)
      ) return `expected failure ${want}: ${what}`;
    }
  }
  return null;
}

/** What init_authentication answers once the refresh script has been played. */
function refreshOutcome(id: unknown, method: string, ctx: OracleContext): Expected {
  const sub: OracleContext = {
    token: ctx.token,
    refreshScript: [],
    pending: new Set([String(FAKE_PENDING)]),
  };
  for (const template of ctx.refreshScript) {
    for (const line of splitLines(new TextEncoder().encode(instantiate(template, FAKE_PENDING)))) {
      expectLine(line, sub);
    }
    if (sub.resolved) break;
  }
  const r = sub.resolved;
  if (!r) throw new Error("a refresh script must end with an answer to the request");
  if (r.error) return { id, method, codes: [r.code], result: false };
  const token = isPlainObject(r.result) ? r.result.token : undefined;
  return token === "ok"
    ? { id, method, codes: [], result: isUser }
    : { id, method, codes: [100], result: false };
}

/** A refresh script line for the request with numeric id `n` (ids are "1", "2", …). */
export function instantiate(template: string, n: number): string {
  return template.replaceAll("$ID", JSON.stringify(String(n))).replaceAll("$NUM", String(n));
}

/** The answers every line of a script owes, with the id of our request pending. */
export function expectScript(template: string, n: number, token: string): Expected[] {
  const ctx: OracleContext = { token, refreshScript: [], pending: new Set([String(n)]) };
  return splitLines(new TextEncoder().encode(instantiate(template, n)))
    .flatMap((line) => expectLine(line, ctx)) as Expected[];
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? text.slice(0, 200) + "…" : text;
}

/** Problems of a response object, or null when it is a well-formed JSON-RPC response. */
export function checkResponse(m: unknown, extraCodes: readonly number[] = []): string | null {
  if (!isPlainObject(m)) return `not an object: ${preview(m)}`;
  if (m.jsonrpc !== "2.0") return `jsonrpc is not "2.0": ${preview(m)}`;
  const keys = Object.keys(m).sort().join();
  if (keys !== "error,id,jsonrpc" && keys !== "id,jsonrpc,result") {
    return `members ${keys}: ${preview(m)}`;
  }
  if (m.id !== null && typeof m.id !== "string" && typeof m.id !== "number") {
    return `bad id: ${preview(m)}`;
  }
  if ("error" in m) return checkError(m.error, extraCodes);
  return null;
}

/** Problems of an error object, or null. */
export function checkError(e: unknown, extraCodes: readonly number[] = []): string | null {
  if (!isPlainObject(e)) return `error is not an object: ${preview(e)}`;
  if (Object.keys(e).sort().join() !== "code,data,message") {
    return `error members: ${preview(e)}`;
  }
  if (typeof e.code !== "number" || (!PROTOCOL_CODES.has(e.code) && !extraCodes.includes(e.code))) {
    return `error code not in protocol.md: ${preview(e)}`;
  }
  if (typeof e.message !== "string") return `error message is not a string: ${preview(e)}`;
  if (!isPlainObject(e.data) || typeof e.data.internal_type !== "string") {
    return `error data without internal_type: ${preview(e)}`;
  }
  return null;
}

/** Problems of a message the integration started (notification or request), or null. */
export function checkOutgoing(m: Record<string, unknown>): string | null {
  const keys = Object.keys(m).sort().join();
  if (m.jsonrpc !== "2.0") return `jsonrpc is not "2.0": ${preview(m)}`;
  if ("id" in m) {
    if (keys !== "id,jsonrpc,method,params") return `request members ${keys}`;
    if (m.method !== "refresh_credentials") return `unexpected request ${preview(m)}`;
    if (typeof m.id !== "string" || !/^[1-9][0-9]*$/.test(m.id)) return `bad request id ${m.id}`;
    return isPlainObject(m.params) ? null : `refresh params not an object`;
  }
  if (keys !== "jsonrpc,method,params") return `notification members ${keys}: ${preview(m)}`;
  if (typeof m.method !== "string" || !OUTGOING_NOTIFICATIONS.has(m.method)) {
    return `unknown notification ${preview(m.method)}`;
  }
  if (m.params !== null && !isPlainObject(m.params)) return `params: ${preview(m)}`;
  if (isPlainObject(m.params) && "error" in m.params) return checkError(m.params.error);
  return null;
}

/** The finish notification a successful start of `method` is followed by. */
export function finishOf(method: string | undefined): string | undefined {
  return method === undefined ? undefined : IMPORT_FINISHED[method];
}

export { NOTIFICATIONS, REQUESTS };
