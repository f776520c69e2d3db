/**
 * The Windows registry, read through a {@linkcode RegistryBackend}: on Windows the system's
 * own API through FFI (`--allow-ffi`), in tests a {@linkcode MemoryRegistry}.
 *
 * | what | how on Windows | permission | run by our tests |
 * |---|---|---|---|
 * | reading keys and values | advapi32 `RegOpenKeyExW`, `RegEnumKeyExW`, `RegEnumValueW`, `RegQueryValueExW` | `--allow-ffi` | no (Linux machine); the FFI declarations are type-checked |
 * | {@linkcode Registry.monitor} | advapi32 `RegNotifyChangeKeyValue` with a kernel32 event | `--allow-ffi` | no; its logic runs against `MemoryRegistry` |
 * | decoding, views, key names | plain code above the seam | none | yes |
 *
 * FFI is the only way Deno reaches the registry without running `reg.exe` (which would need
 * `--allow-run` and parse localized text). Grant it whole, `"ffi": true` in
 * `permissions.integration` of `deno.json`: with a scoped `--allow-ffi=advapi32.dll`, Deno
 * 2.9 resolves the bare library name against the working directory (seen on Linux with
 * `libc.so.6`; see `ffi.ts`).
 *
 * @module
 */
import type { RegistryBackend, RegistryView } from "./registry_backend.ts";
import { expandPath } from "./paths.ts";
import { parseKey } from "./registry_key.ts";
import { RegistryMonitor } from "./registry_monitor.ts";
import { decodeValue, type RegistryValue } from "./registry_values.ts";
import { RegistryError } from "./registry_error.ts";
import { windowsRegistry } from "./registry_windows.ts";

/**
 * Options of {@linkcode Registry}'s reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { RegistryReadOptions } from "@galaxy-ts/runtime/local";
 * const options: RegistryReadOptions = { view: "32" };
 * assert(options.view === "32");
 * ```
 */
export interface RegistryReadOptions {
  /** The 32- or 64-bit view; unset, the process's own (64-bit). */
  view?: RegistryView;
}

/**
 * Options of {@linkcode Registry.getString}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryRegistry, Registry } from "@galaxy-ts/runtime/local";
 * const memory = new MemoryRegistry();
 * const key = "HKLM\\SOFTWARE\\Store";
 * memory.setValue(key, "Root", { type: "REG_EXPAND_SZ", value: "%GAMES%\\Store" });
 * const registry = new Registry(memory);
 * assert(registry.getString(key, "Root") === "%GAMES%\\Store");
 * const env = (name: string) => name === "GAMES" ? "D:\\Games" : undefined;
 * assert(registry.getString(key, "Root", { expand: true, env }) === "D:\\Games\\Store");
 * ```
 */
export interface StringReadOptions extends RegistryReadOptions {
  /**
   * Expand a `REG_EXPAND_SZ` value's `%VAR%` references with {@linkcode expandPath} (which
   * needs `--allow-env` for each variable it names).
   *
   * @default {false}
   */
  expand?: boolean;
  /** The environment to expand with; by default this process's (`Deno.env.get`). */
  env?: (name: string) => string | undefined;
}

/** A value with its name, as {@linkcode Registry.listValues} gives it. */
export type NamedRegistryValue = RegistryValue & {
  /** The value's name; `""` is the key's default value. */
  name: string;
};

/**
 * Reads the registry, keys named as `HKLM\SOFTWARE\Vendor\Product`. Reads give null for a
 * key or value that does not exist (or cannot be opened for reading), instead of throwing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryRegistry, Registry } from "@galaxy-ts/runtime/local";
 * const memory = new MemoryRegistry();
 * memory.setValue("HKCU\\Software\\Store", "Games", { type: "REG_MULTI_SZ", value: ["a", "b"] });
 * const registry = new Registry(memory); // new Registry() on Windows
 * assert.deepEqual(registry.getValue("HKCU\\Software\\Store", "Games")?.value, ["a", "b"]);
 * assert.deepEqual(registry.listSubkeys("HKCU\\Software"), ["Store"]);
 * ```
 */
export class Registry {
  /** The backend it reads through. */
  readonly backend: RegistryBackend;

  /**
   * Creates a reader.
   *
   * @param backend Where to read; by default the system's registry.
   * @throws {RegistryError} Without a backend, anywhere but on Windows.
   */
  constructor(backend: RegistryBackend = windowsRegistry()) {
    this.backend = backend;
  }

  /**
   * One value, decoded.
   *
   * @param key The key.
   * @param name The value's name; `""` is the default value.
   * @param options The view.
   * @returns The value, or null when the key or value does not exist.
   */
  getValue(key: string, name: string, options: RegistryReadOptions = {}): RegistryValue | null {
    const { hive, path } = parseKey(key);
    const raw = this.backend.value(hive, path, name, options.view);
    return raw && decodeValue(raw.code, raw.data);
  }

  /**
   * A string value (`REG_SZ`, or `REG_EXPAND_SZ`, unexpanded unless `expand` is set).
   *
   * @param key The key.
   * @param name The value's name.
   * @param options The view, and whether to expand.
   * @returns The string, or null when the key or value does not exist.
   * @throws {RegistryError} When the value has another type.
   * @throws {PermissionNeeded} When expanding needs a variable `--allow-env` does not cover.
   */
  getString(key: string, name: string, options: StringReadOptions = {}): string | null {
    const value = this.getValue(key, name, options);
    if (value === null) return null;
    if (value.type === "REG_EXPAND_SZ" && options.expand) {
      // Registry data is Windows' whatever system reads it (a MemoryRegistry in tests).
      return expandPath(value.value, { os: "windows", env: options.env });
    }
    if (value.type === "REG_SZ" || value.type === "REG_EXPAND_SZ") return value.value;
    throw new RegistryError(`${key}\\${name} is ${value.type}, not a string`);
  }

  /**
   * Every value of a key, decoded.
   *
   * @param key The key.
   * @param options The view.
   * @returns The values, or null when the key does not exist.
   */
  listValues(key: string, options: RegistryReadOptions = {}): NamedRegistryValue[] | null {
    const { hive, path } = parseKey(key);
    const raw = this.backend.values(hive, path, options.view);
    return raw && raw.map((v) => ({ name: v.name, ...decodeValue(v.code, v.data) }));
  }

  /**
   * The names of a key's direct subkeys.
   *
   * @param key The key.
   * @param options The view.
   * @returns The names, or null when the key does not exist.
   */
  listSubkeys(key: string, options: RegistryReadOptions = {}): string[] | null {
    const { hive, path } = parseKey(key);
    return this.backend.subkeys(hive, path, options.view);
  }

  /**
   * Whether a key exists (and can be read).
   *
   * @param key The key.
   * @param options The view.
   * @returns True when it does.
   */
  hasKey(key: string, options: RegistryReadOptions = {}): boolean {
    return this.listSubkeys(key, options) !== null;
  }

  /**
   * A monitor telling, each time it is asked, whether the key or anything under it changed.
   *
   * @param key The key; it need not exist yet.
   * @param options The view.
   * @returns The monitor; close it when done.
   */
  monitor(key: string, options: RegistryReadOptions = {}): RegistryMonitor {
    const { hive, path } = parseKey(key);
    return new RegistryMonitor(this.backend, hive, path, options.view);
  }
}
