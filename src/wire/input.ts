/**
 * The input half of a connection: a line's bytes to JSON-RPC messages, and each message
 * checked against JSON-RPC 2.0 and sorted into request, notification or response.
 *
 * @module
 */
import { isRecord } from "../log/mod.ts";
import { batchNumbers, RawId, topLevelNumber } from "./raw_id.ts";

/** The id of a request: a string or a number, echoed exactly. */
export type RequestId = string | number | RawId;

/** Named parameters of a request or notification. */
export type Params = Record<string, unknown>;

/** What one line holds. */
export type Line =
  | { readonly kind: "blank" }
  | { readonly kind: "unparsable"; readonly bytes: number; readonly tooLong: boolean }
  | { readonly kind: "message"; readonly message: unknown }
  | { readonly kind: "batch"; readonly messages: unknown[] };

/** What one message is. */
export type Incoming =
  | { readonly kind: "request"; readonly id: RequestId; readonly method: string; params: Params }
  | { readonly kind: "notification"; readonly method: string; readonly params: Params }
  | { readonly kind: "response"; readonly message: Record<string, unknown> }
  /** A request (with `id`) or notification (without) whose params are not an object. */
  | { readonly kind: "badParams"; readonly id: RequestId | null; readonly method: string }
  | { readonly kind: "invalid"; readonly reason: string };

const REQUEST_KEYS = new Set(["jsonrpc", "method", "params", "id"]);
const RESPONSE_KEYS = new Set(["jsonrpc", "id", "result", "error"]);
/** V8's longest string on 64-bit systems, in UTF-16 code units. */
const MAX_STRING_LENGTH = 2 ** 29 - 24;
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function isWhitespace(byte: number): boolean {
  return byte === 32 || byte === 9 || byte === 13 || byte === 10;
}

/** Whether a parsed id lost digits on the way: echo it from the line's text instead. */
function lostDigits(id: unknown): boolean {
  return typeof id === "number" && !Number.isSafeInteger(id) && Number.isFinite(id);
}

/**
 * Parses one line. Numeric ids that a double cannot hold exactly become {@linkcode RawId}s
 * of the text they came as, at the top level and inside a batch alike.
 *
 * @param bytes The line without its `\n`.
 * @returns What the line holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLine } from "./input.ts";
 * import { RawId } from "./raw_id.ts";
 * const line = parseLine(new TextEncoder().encode('[{"id":12345678901234567891}]'));
 * assert(line.kind === "batch");
 * assert((line.messages[0] as { id: RawId }).id.text === "12345678901234567891");
 * ```
 */
export function parseLine(bytes: Uint8Array): Line {
  let start = 0;
  let end = bytes.length;
  while (start < end && isWhitespace(bytes[start])) start++;
  while (end > start && isWhitespace(bytes[end - 1])) end--;
  if (start === end) return { kind: "blank" };
  let text: string;
  let message: unknown;
  try {
    text = decoder.decode(bytes.subarray(start, end));
    message = JSON.parse(text);
  } catch {
    // Past V8's longest string the decoder cannot even try.
    return { kind: "unparsable", bytes: end - start, tooLong: end - start > MAX_STRING_LENGTH };
  }
  if (Array.isArray(message)) {
    let texts: (string | undefined)[] | undefined;
    message.forEach((item, k) => {
      if (!lostDigits((item as { id?: unknown } | null)?.id)) return;
      texts ??= batchNumbers(text, "id");
      const raw = texts[k];
      if (raw !== undefined) item.id = new RawId(raw);
    });
    return { kind: "batch", messages: message };
  }
  if (lostDigits((message as { id?: unknown } | null)?.id)) {
    const raw = topLevelNumber(text, "id");
    if (raw !== undefined) (message as { id: unknown }).id = new RawId(raw);
  }
  return { kind: "message", message };
}

/**
 * Sorts one message by what JSON-RPC 2.0 makes of it.
 *
 * @param message One parsed message (an element of a batch, or a whole line).
 * @returns Its kind and parts, or why it is invalid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classify } from "./input.ts";
 * assert(classify({ jsonrpc: "2.0", id: 1, method: "ping" }).kind === "request");
 * assert(classify({ jsonrpc: "2.0", method: "ping", extra: 1 }).kind === "invalid");
 * ```
 */
export function classify(message: unknown): Incoming {
  if (!isRecord(message)) return { kind: "invalid", reason: "not an object" };
  if (message.jsonrpc !== "2.0") return { kind: "invalid", reason: 'jsonrpc must be "2.0"' };
  if ("result" in message || "error" in message) {
    for (const key in message) {
      if (!RESPONSE_KEYS.has(key)) {
        return { kind: "invalid", reason: `unexpected member "${key}" in a response` };
      }
    }
    return { kind: "response", message };
  }
  for (const key in message) {
    if (!REQUEST_KEYS.has(key)) {
      return { kind: "invalid", reason: `unexpected member "${key}" in a request` };
    }
  }
  const { id, method } = message;
  if (typeof method !== "string") return { kind: "invalid", reason: "method must be a string" };
  if (
    id !== undefined && id !== null && typeof id !== "string" && !(id instanceof RawId) &&
    !(typeof id === "number" && Number.isFinite(id))
  ) {
    // 1e400 parses to Infinity, which would be echoed as null: no answer Galaxy could match.
    return { kind: "invalid", reason: "id must be a string or a finite number" };
  }
  const isRequest = id !== undefined && id !== null;
  const params = message.params ?? (("params" in message) ? null : {});
  if (!isRecord(params)) return { kind: "badParams", id: isRequest ? id : null, method };
  return isRequest
    ? { kind: "request", id, method, params }
    : { kind: "notification", method, params };
}
