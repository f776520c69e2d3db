/**
 * Property lists, macOS's settings and app-description files (`Info.plist`), in either of
 * their two forms: XML and binary (`bplist00`). Parsing needs no permission; reading a file
 * needs `--allow-read` for it (`"read": ["/Applications"]` covers every app's `Info.plist`).
 *
 * @module
 */
import { isDenied, PermissionNeeded } from "./permission.ts";
import { BPLIST_MAGIC, parseBinaryPlist } from "./plist_binary.ts";
import { PlistError, type PlistValue } from "./plist_value.ts";
import { parseXmlPlist } from "./plist_xml.ts";

/**
 * Parses a property list, XML or binary, told apart by the binary header.
 *
 * @param data The file's bytes, or an XML document as text.
 * @returns The top value.
 * @throws {PlistError} When it is neither a well-formed XML nor binary plist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePlist } from "@galaxy-ts/runtime/local";
 * const xml = '<?xml version="1.0"?><plist><array><integer>-3</integer><true/></array></plist>';
 * assert.deepEqual(parsePlist(new TextEncoder().encode(xml)), [-3, true]);
 * ```
 */
export function parsePlist(data: Uint8Array | string): PlistValue {
  if (typeof data === "string") return parseXmlPlist(data);
  const header = new TextDecoder("latin1").decode(data.subarray(0, BPLIST_MAGIC.length));
  if (header === BPLIST_MAGIC) return parseBinaryPlist(data);
  if (header.startsWith("bplist")) {
    throw new PlistError(`binary plist version "${header.slice(6)}" is not supported (only 00)`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new PlistError("neither a binary plist nor UTF-8 XML");
  }
  return parseXmlPlist(text);
}

/**
 * Reads and parses a property list file. Needs `--allow-read` for the file.
 *
 * @param path The file.
 * @returns The top value.
 * @throws {PlistError} When it is not a plist, the path in the message.
 * @throws {PermissionNeeded} Without `--allow-read` for it.
 * @throws {Deno.errors.NotFound} When there is no such file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPlist } from "@galaxy-ts/runtime/local";
 * const file = await Deno.makeTempFile({ suffix: ".plist" });
 * await Deno.writeTextFile(file, "<plist><string>hi</string></plist>");
 * assert((await readPlist(file)) === "hi");
 * await Deno.remove(file);
 * ```
 */
export async function readPlist(path: string): Promise<PlistValue> {
  let data: Uint8Array;
  try {
    data = await Deno.readFile(path);
  } catch (error) {
    if (isDenied(error)) throw new PermissionNeeded("readPlist()", "read", path, { cause: error });
    throw error;
  }
  try {
    return parsePlist(data);
  } catch (error) {
    if (error instanceof PlistError) {
      throw new PlistError(`${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * The `Info.plist` of a macOS app bundle (`/Applications/Game.app`): its
 * `CFBundleIdentifier`, `CFBundleShortVersionString`, `CFBundleExecutable`… Needs
 * `--allow-read` for the bundle.
 *
 * @param bundle The `.app` folder.
 * @returns The parsed `Contents/Info.plist`.
 * @throws {PlistError} When it is not a plist, or not a dict.
 * @throws {PermissionNeeded} Without `--allow-read` for it.
 * @throws {Deno.errors.NotFound} When the bundle has no `Contents/Info.plist`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readInfoPlist } from "@galaxy-ts/runtime/local";
 * const app = await Deno.makeTempDir({ suffix: ".app" });
 * await Deno.mkdir(`${app}/Contents`);
 * await Deno.writeTextFile(
 *   `${app}/Contents/Info.plist`,
 *   "<plist><dict><key>CFBundleExecutable</key><string>Game</string></dict></plist>",
 * );
 * assert((await readInfoPlist(app)).CFBundleExecutable === "Game");
 * await Deno.remove(app, { recursive: true });
 * ```
 */
export async function readInfoPlist(bundle: string): Promise<Record<string, PlistValue>> {
  const path = `${bundle.replace(/\/+$/, "")}/Contents/Info.plist`;
  const info = await readPlist(path);
  if (typeof info !== "object" || info === null || Array.isArray(info) || !isDict(info)) {
    throw new PlistError(`${path}: the top value is not a dict`);
  }
  return info;
}

function isDict(value: object): value is Record<string, PlistValue> {
  return Object.getPrototypeOf(value) === Object.prototype;
}
