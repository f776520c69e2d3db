/**
 * The values a property list holds, as JavaScript values, and the error for a list that
 * cannot be read.
 *
 * @module
 */

/**
 * A binary plist's UID (keyed archives' object references), kept apart from an integer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PlistUid } from "@galaxy-ts/runtime/local";
 * assert(new PlistUid(7).value === 7);
 * ```
 */
export class PlistUid {
  /** The UID's number. */
  readonly value: number;

  /** Creates the UID. */
  constructor(value: number) {
    this.value = value;
  }
}

/**
 * A property list value: `<string>` is a string, `<integer>` a number (a bigint beyond
 * 2^53), `<real>` a number, `<true/>`/`<false/>` booleans, `<date>` a Date, `<data>` bytes,
 * `<array>` an array and `<dict>` a plain object.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePlist, type PlistValue } from "@galaxy-ts/runtime/local";
 * const xml = "<plist><dict><key>size</key><integer>9007199254740993</integer>" +
 *   "<key>when</key><date>2024-01-02T03:04:05Z</date></dict></plist>";
 * const info = parsePlist(xml) as Record<string, PlistValue>;
 * // Beyond 2^53 an integer is a bigint, kept exact; a date is a Date.
 * assert(info.size === 9007199254740993n);
 * assert(info.when instanceof Date && info.when.getUTCFullYear() === 2024);
 * ```
 */
export type PlistValue =
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | PlistUid
  | PlistValue[]
  | PlistDict;

/** A `<dict>`: keys to values. */
export interface PlistDict {
  /** A key's value. */
  [key: string]: PlistValue;
}

/**
 * A property list that cannot be read; the message says where and why.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PlistError } from "@galaxy-ts/runtime/local";
 * assert(new PlistError("bad").name === "PlistError");
 * ```
 */
export class PlistError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PlistError";
  }
}

/**
 * Sets a dict's key, safely for any key (`__proto__` included).
 *
 * @param dict The dict.
 * @param key The key.
 * @param value The value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { setKey, type PlistDict } from "./plist_value.ts";
 * const dict: PlistDict = {};
 * setKey(dict, "__proto__", "x");
 * assert(Object.keys(dict)[0] === "__proto__");
 * ```
 */
export function setKey(dict: PlistDict, key: string, value: PlistValue): void {
  Object.defineProperty(dict, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * An integer as a number when it is exactly one, else as a bigint.
 *
 * @param value The integer.
 * @returns It, as a number where exact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integer } from "./plist_value.ts";
 * assert(integer(5n) === 5 && integer(2n ** 60n) === 2n ** 60n);
 * ```
 */
export function integer(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}
