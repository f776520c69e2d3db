/**
 * Masking of sensitive values before anything is formatted for a log.
 *
 * @module
 */
import { isRecord } from "./values.ts";

/** What replaces a sensitive value in a log. */
export const MASK = "****";

/** Which parameters are sensitive: all of them (`true`), none (`false`), or the named ones. */
export type Sensitivity = boolean | readonly string[];

/**
 * Returns `params` with its sensitive members replaced by {@linkcode MASK}; the input is not
 * changed. Anything that is not a plain object is masked whole when `sensitive` is `true`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redact } from "./redact.ts";
 * const shown = redact({ step: "1", cookies: [{ value: "s" }] }, ["cookies"]);
 * assert(JSON.stringify(shown) === '{"step":"1","cookies":"****"}');
 * ```
 */
export function redact(params: unknown, sensitive: Sensitivity): unknown {
  if (sensitive === false || (Array.isArray(sensitive) && sensitive.length === 0)) return params;
  if (!isRecord(params)) {
    return sensitive === true && params !== null && params !== undefined ? MASK : params;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = sensitive === true || (sensitive as readonly string[]).includes(key) ? MASK : value;
  }
  return out;
}
