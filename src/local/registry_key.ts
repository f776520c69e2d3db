/**
 * Registry key names as authors write them: `HKLM\SOFTWARE\Valve\Steam`, the hive by its
 * short or long name, then the path under it. Only `\` separates: `/` is a legal character
 * in a key's name.
 *
 * @module
 */
import type { Hive, RegistryView } from "./registry_backend.ts";

const HIVES: Record<string, Hive> = {
  HKLM: "HKLM",
  HKEY_LOCAL_MACHINE: "HKLM",
  HKCU: "HKCU",
  HKEY_CURRENT_USER: "HKCU",
  HKCR: "HKCR",
  HKEY_CLASSES_ROOT: "HKCR",
  HKU: "HKU",
  HKEY_USERS: "HKU",
};

/**
 * A key name split into its hive and its path under the hive.
 *
 * @param key The key (`HKLM\SOFTWARE\…` or `HKEY_LOCAL_MACHINE\SOFTWARE\…`).
 * @returns The hive and the path (without leading or trailing `\`).
 * @throws {TypeError} When the key does not start with a hive's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseKey } from "@galaxy-ts/runtime/local";
 * assert.deepEqual(parseKey("HKEY_CURRENT_USER\\Software\\Store\\"), {
 *   hive: "HKCU",
 *   path: "Software\\Store",
 * });
 * ```
 */
export function parseKey(key: string): { hive: Hive; path: string } {
  const cut = key.indexOf("\\");
  const root = (cut < 0 ? key : key.slice(0, cut)).toUpperCase();
  const hive = HIVES[root];
  if (!hive) {
    throw new TypeError(
      `registry key "${key}" must start with HKLM, HKCU, HKCR or HKU (or their HKEY_ names)`,
    );
  }
  const path = cut < 0 ? "" : key.slice(cut + 1).replace(/^\\+|\\+$/g, "");
  return { hive, path };
}

/**
 * The key where a 64-bit Windows stores what the 32-bit view shows at `path`:
 * `HKLM\SOFTWARE\X` is `HKLM\SOFTWARE\WOW6432Node\X`; other keys are shared by both views
 * (as `HKCU\Software` has been since Windows 7).
 *
 * @param hive The hive.
 * @param path The path under it.
 * @param view The view asked for.
 * @returns The path that holds it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { storedPath } from "@galaxy-ts/runtime/local";
 * assert(storedPath("HKLM", "SOFTWARE\\Store", "32") === "SOFTWARE\\WOW6432Node\\Store");
 * assert(storedPath("HKCU", "Software\\Store", "32") === "Software\\Store");
 * ```
 */
export function storedPath(hive: Hive, path: string, view?: RegistryView): string {
  if (view !== "32" || hive !== "HKLM") return path;
  const [first, second] = path.split("\\");
  if (first.toUpperCase() !== "SOFTWARE" || second?.toUpperCase() === "WOW6432NODE") return path;
  return ["SOFTWARE", "WOW6432Node", ...path.split("\\").slice(1)].join("\\");
}
