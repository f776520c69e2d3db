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
 * // A list too long to show whole is serialized only as far as it can show.
 * assert(preview(Array.from({ length: 20 }, (_, i) => i), 10) === "[0,1,2,3,4… (a long list cut)");
 * ```
 */
export function preview(value: unknown, max: number = PREVIEW_LENGTH): string {
  let text: string;
  let cut = false;
  try {
    // A list of more than `max` items cannot show whole: only its head is serialized, or
    // a 20,000-id import would be serialized whole (milliseconds) to show its first 2 KB.
    // Looked for at the top and one level down (where requests carry their id lists) only:
    // a replacer takes JSON.stringify off its fast path, which every ping's line would pay.
    text = (hasLongList(value, max)
      ? JSON.stringify(value, (_key, item) => {
        if (!Array.isArray(item) || item.length <= max) return item;
        cut = true;
        return item.slice(0, max);
      })
      : JSON.stringify(value)) ?? "undefined";
  } catch {
    text = "[unserializable]";
  }
  // Such a list's text is longer than `max` (an item and its comma are two characters at
  // least): it is always clipped, and its full length is not known.
  return cut ? `${head(text, max)}… (a long list cut)` : clip(text, max);
}

/** Whether `value`, or one of its members, is a list of more than `max` items. */
function hasLongList(value: unknown, max: number): boolean {
  if (Array.isArray(value)) return value.length > max;
  if (value === null || typeof value !== "object") return false;
  for (const key in value) {
    const member = (value as Record<string, unknown>)[key];
    if (Array.isArray(member) && member.length > max) return true;
  }
  return false;
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
  return text.length <= max ? text : `${head(text, max)}… (${text.length} characters)`;
}

/** The first `max` characters of JSON `text`, cut before the last quote in reach. */
function head(text: string, max: number): string {
  const quote = text.lastIndexOf('"', max - 1);
  return text.slice(0, quote >= 0 ? quote : max);
}
