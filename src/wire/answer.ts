/**
 * JSON-RPC error objects both ways: the one we send (scrubbed of secrets, always
 * serializable) and the one we receive (whatever shape the peer sent, made well formed).
 *
 * @module
 */
import { isRecord, scrubSecrets } from "../log/mod.ts";
import type { ErrorData, JsonRpcError, WireError } from "./errors.ts";

/**
 * The `error` member to send for `error`. An error's text is the author's (an exception's
 * message) and Galaxy logs it: no secret may go out in it. Its strings are scrubbed one by
 * one, never the JSON text, so that a secret that looks like JSON syntax cannot break the
 * line; `internal_type` is a class name and stays. Data that cannot be serialized (a
 * cycle, a BigInt) is dropped, keeping code, message and `internal_type`.
 *
 * @param error What to send.
 * @returns A wire error that `JSON.stringify` takes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outgoingError } from "./answer.ts";
 * import { JsonRpcError } from "./errors.ts";
 * const wire = outgoingError(new JsonRpcError(4, "bad", { n: 1n }, "BackendError"));
 * assert.deepEqual(wire, { code: 4, message: "bad", data: { internal_type: "BackendError" } });
 * ```
 */
export function outgoingError(error: JsonRpcError): WireError {
  try {
    const wire = JSON.parse(JSON.stringify(error.toWire())) as WireError;
    return { code: wire.code, message: scrubSecrets(wire.message), data: scrubData(wire.data) };
  } catch {
    return {
      code: error.code,
      message: scrubSecrets(error.message),
      data: { internal_type: error.internalType },
    };
  }
}

/** `data` is parsed JSON: a tree, no cycles (a stack overflow is caught by the caller). */
function scrubData(data: ErrorData): ErrorData {
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return scrubSecrets(value);
    if (Array.isArray(value)) return value.map(scrub);
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrub(item);
    return out;
  };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(data)) {
    out[key] = key === "internal_type" ? item : scrub(item);
  }
  return out as ErrorData;
}

/**
 * The `error` member of an answer we received, made well formed whatever it held.
 *
 * @param raw The member as parsed.
 * @returns A code (0 if none), a message ("" if none) and data (`{}` if not an object).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { incomingError } from "./answer.ts";
 * assert.deepEqual(incomingError({ code: "x", data: [1] }), { code: 0, message: "", data: {} });
 * ```
 */
export function incomingError(raw: unknown): WireError {
  const e = isRecord(raw) ? raw : {};
  return {
    code: typeof e.code === "number" ? e.code : 0,
    message: typeof e.message === "string" ? e.message : "",
    data: isRecord(e.data) ? e.data as ErrorData : {},
  };
}
