/**
 * Registry values from the bytes the system stores, and back: the type codes of
 * `winnt.h`, UTF-16LE strings, NUL-separated string lists, little- and big-endian numbers.
 *
 * @module
 */

/** The value types of the registry, by code, as `winnt.h` names them. */
export const REGISTRY_TYPES = [
  "REG_NONE",
  "REG_SZ",
  "REG_EXPAND_SZ",
  "REG_BINARY",
  "REG_DWORD",
  "REG_DWORD_BIG_ENDIAN",
  "REG_LINK",
  "REG_MULTI_SZ",
  "REG_RESOURCE_LIST",
  "REG_FULL_RESOURCE_DESCRIPTOR",
  "REG_RESOURCE_REQUIREMENTS_LIST",
  "REG_QWORD",
] as const;

/** A registry value type's name (`REG_SZ`, …). */
export type RegistryType = typeof REGISTRY_TYPES[number];

/** The types whose data is given as bytes. */
export type RegistryBytesType = Exclude<
  RegistryType,
  "REG_SZ" | "REG_EXPAND_SZ" | "REG_MULTI_SZ" | "REG_DWORD" | "REG_DWORD_BIG_ENDIAN" | "REG_QWORD"
>;

/**
 * A decoded registry value. `REG_EXPAND_SZ` stays unexpanded (as `winreg` gives it; expand it
 * with `expandPath`); `REG_QWORD` is a bigint, since it can exceed 2^53; a type code outside
 * `winnt.h`'s list is `REG_NONE`-like bytes with its `code`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RegistryValue } from "@galaxy-ts/runtime/local";
 * const value: RegistryValue = { type: "REG_SZ", value: "C:\\Games" };
 * assert(value.type === "REG_SZ" && value.value.startsWith("C:"));
 * ```
 */
export type RegistryValue =
  | { type: "REG_SZ" | "REG_EXPAND_SZ"; value: string }
  | { type: "REG_MULTI_SZ"; value: string[] }
  | { type: "REG_DWORD" | "REG_DWORD_BIG_ENDIAN"; value: number }
  | { type: "REG_QWORD"; value: bigint }
  | { type: RegistryBytesType; value: Uint8Array; code?: number };

const UTF16 = new TextDecoder("utf-16le");

function utf16(data: Uint8Array): string {
  // An odd last byte is half a character: the system ignores it too.
  return UTF16.decode(data.subarray(0, data.length & ~1));
}

function padded(data: Uint8Array, size: number): DataView {
  const bytes = new Uint8Array(size);
  bytes.set(data.subarray(0, size));
  return new DataView(bytes.buffer);
}

/**
 * Decodes a value from its type code and stored bytes, leniently, as the system's own tools
 * show stored data: a string ends at its first NUL or at the data's end (a missing
 * terminator is common); a list ends at its first empty string; a number shorter than its
 * size is zero-extended.
 *
 * @param code The type code (`REG_SZ` is 1, …).
 * @param data The bytes as stored.
 * @returns The value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeValue } from "@galaxy-ts/runtime/local";
 * assert.deepEqual(decodeValue(4, new Uint8Array([0x2a, 0, 0, 0])), { type: "REG_DWORD", value: 42 });
 * ```
 */
export function decodeValue(code: number, data: Uint8Array): RegistryValue {
  const type = REGISTRY_TYPES[code] as RegistryType | undefined;
  switch (type) {
    case "REG_SZ":
    case "REG_EXPAND_SZ": {
      const text = utf16(data);
      const end = text.indexOf("\0");
      return { type, value: end < 0 ? text : text.slice(0, end) };
    }
    case "REG_MULTI_SZ": {
      const list = utf16(data).split("\0");
      const end = list.indexOf("");
      return { type, value: end < 0 ? list : list.slice(0, end) };
    }
    case "REG_DWORD":
      return { type, value: padded(data, 4).getUint32(0, true) };
    case "REG_DWORD_BIG_ENDIAN":
      return { type, value: padded(data, 4).getUint32(0, false) };
    case "REG_QWORD":
      return { type, value: padded(data, 8).getBigUint64(0, true) };
    case undefined:
      return { type: "REG_NONE", value: data.slice(), code };
    default:
      return { type, value: data.slice() };
  }
}

function utf16Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(i * 2, text.charCodeAt(i), true);
  return bytes;
}

/**
 * Encodes a value as the system stores it: strings NUL-terminated, a list's strings each
 * NUL-terminated and the list closed by one more NUL.
 *
 * @param value The value.
 * @returns Its type code and bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeValue } from "@galaxy-ts/runtime/local";
 * const { code, data } = encodeValue({ type: "REG_SZ", value: "A" });
 * assert(code === 1 && data.join() === "65,0,0,0");
 * ```
 */
export function encodeValue(value: RegistryValue): { code: number; data: Uint8Array } {
  const code = "code" in value && value.code !== undefined
    ? value.code
    : REGISTRY_TYPES.indexOf(value.type);
  switch (value.type) {
    case "REG_SZ":
    case "REG_EXPAND_SZ":
      return { code, data: utf16Bytes(value.value + "\0") };
    case "REG_MULTI_SZ":
      return { code, data: utf16Bytes(value.value.map((s) => s + "\0").join("") + "\0") };
    case "REG_DWORD":
    case "REG_DWORD_BIG_ENDIAN": {
      const data = new Uint8Array(4);
      new DataView(data.buffer).setUint32(0, value.value, value.type === "REG_DWORD");
      return { code, data };
    }
    case "REG_QWORD": {
      const data = new Uint8Array(8);
      new DataView(data.buffer).setBigUint64(0, value.value, true);
      return { code, data };
    }
    default:
      return { code, data: value.value.slice() };
  }
}
