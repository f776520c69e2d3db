/**
 * Values as a log shows them, and the one check for a plain object that the runtime uses.
 *
 * @module
 */

/**
 * Whether `value` is an object of named members: not null, not an array.
 *
 * @param value Anything.
 * @returns true for `{}`-like values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isRecord } from "./values.ts";
 * assert(isRecord({ a: 1 }) && !isRecord([1]) && !isRecord(null));
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A duration as log lines and messages show it: seconds with one decimal.
 *
 * @param ms The duration in milliseconds.
 * @returns Such as `"0.3 s"` or `"30.0 s"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seconds } from "./values.ts";
 * assert(seconds(300) === "0.3 s" && seconds(30_000) === "30.0 s");
 * ```
 */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Longest JSON text {@linkcode preview} keeps, in characters. */
export const PREVIEW_LENGTH = 2048;

/**
 * A value as JSON for a log line, clipped to `max` characters. The cut falls before a
 * string, never inside one: the log scrubs whole secrets only, and the first half of one
 * would get through. Never throws (a cycle or a BigInt shows as `[unserializable]`).
 *
 * @param value What to show.
 * @param max Longest text kept before the cut.
 * @returns The JSON text, or its head followed by `… (N characters)`.
 * @default {max} 2048
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { preview } from "./values.ts";
 * assert(preview({ a: 1 }) === '{"a":1}');
 * // The cut keeps a string's text whole or drops it: never half of a secret.
 * assert(preview({ pad: "x".repeat(10), token: "abc-secret" }, 24) === '{"pad":"xxxxxxxxxx",… (41 characters)');
 * ```
 */
export function preview(value: unknown, max: number = PREVIEW_LENGTH): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? "undefined";
  } catch {
    text = "[unserializable]";
  }
  return clip(text, max);
}

/**
 * `text` clipped as {@linkcode preview} clips its JSON: before the last quote in reach.
 *
 * @param text JSON text.
 * @param max Longest text kept before the cut.
 * @returns `text`, or its head followed by `… (N characters)`.
 * @default {max} 2048
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clip } from "./values.ts";
 * assert(clip('["abc","secret-token"]', 10) === '["abc",… (22 characters)');
 * ```
 */
export function clip(text: string, max: number = PREVIEW_LENGTH): string {
  if (text.length <= max) return text;
  const quote = text.lastIndexOf('"', max - 1);
  return `${text.slice(0, quote >= 0 ? quote : max)}… (${text.length} characters)`;
}
