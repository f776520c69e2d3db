/**
 * The seam the registry helpers sit behind: the few raw operations the Windows API gives
 * (`windowsRegistry()`, through FFI) and an in-memory registry gives for tests
 * (`MemoryRegistry`). Everything else — decoding, views, merging, uninstall entries,
 * change monitoring — is plain code above it, run by our tests on any system.
 *
 * @module
 */

/** The registry's roots, by their usual short names. */
export type Hive = "HKLM" | "HKCU" | "HKCR" | "HKU";

/**
 * Which view of the registry a 64-bit Windows shows: `"64"` (KEY_WOW64_64KEY) or `"32"`
 * (KEY_WOW64_32KEY, what 32-bit programs and their installers see, under `WOW6432Node`).
 * Unset: the process's own view, which is 64-bit for Deno.
 */
export type RegistryView = "32" | "64";

/**
 * A value as stored: its name (`""` for the key's default value), type code and bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RawValue } from "@galaxy-ts/runtime/local";
 * const raw: RawValue = { name: "Version", code: 4, data: new Uint8Array([1, 0, 0, 0]) };
 * assert(raw.code === 4);
 * ```
 */
export interface RawValue {
  /** The value's name; `""` is the key's default value. */
  name: string;
  /** The type code (`REG_SZ` is 1, …). */
  code: number;
  /** The stored bytes. */
  data: Uint8Array;
}

/**
 * What {@linkcode RegistryWatch.poll} saw since it was armed or last polled.
 * `"gone"`: the key was deleted (a change too); the watch is over.
 */
export type WatchState = "unchanged" | "changed" | "gone";

/**
 * A watch on one key and everything under it (its values, its subkeys and theirs).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryRegistry } from "@galaxy-ts/runtime/local";
 * const registry = new MemoryRegistry();
 * registry.setValue("HKCU\\Software\\Store", "Path", { type: "REG_SZ", value: "C:\\S" });
 * const watch = registry.watch("HKCU", "Software\\Store")!;
 * assert(watch.poll() === "unchanged");
 * watch.close();
 * ```
 */
export interface RegistryWatch {
  /** Whether the key changed since the watch was armed or last polled; re-arms it. */
  poll(): WatchState;
  /** Releases the watch's handles. */
  close(): void;
}

/**
 * The raw registry operations. Paths are relative to the hive, separated by `\`; every
 * operation returns null when the key does not exist (or cannot be opened for reading).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RegistryBackend } from "@galaxy-ts/runtime/local";
 * import { MemoryRegistry } from "@galaxy-ts/runtime/local";
 * const backend: RegistryBackend = new MemoryRegistry();
 * assert(backend.subkeys("HKLM", "SOFTWARE\\Nothing") === null);
 * ```
 */
export interface RegistryBackend {
  /** The names of the key's direct subkeys. */
  subkeys(hive: Hive, path: string, view?: RegistryView): string[] | null;
  /** The key's values. */
  values(hive: Hive, path: string, view?: RegistryView): RawValue[] | null;
  /** One value of the key, or null when the key or the value does not exist. */
  value(hive: Hive, path: string, name: string, view?: RegistryView): RawValue | null;
  /** Starts watching the key and its subtree. */
  watch(hive: Hive, path: string, view?: RegistryView): RegistryWatch | null;
}
