/**
 * Opening the system's libraries for the Windows helpers, with a clear error without
 * `--allow-ffi`, and the UTF-16 strings the Win32 API speaks.
 *
 * The grant must be the whole kind (`"ffi": true`, `--allow-ffi`): with a scoped grant
 * (`--allow-ffi=advapi32.dll`) Deno 2.9 resolves a bare library name against the working
 * directory and opens that path instead of the system's library (seen on Linux with
 * `--allow-ffi=libc.so.6`: "Could not open library: <cwd>/libc.so.6").
 *
 * @module
 */
import { isDenied, PermissionNeeded } from "./permission.ts";

/**
 * `Deno.dlopen`, with {@linkcode PermissionNeeded} naming `helper` when FFI is not granted.
 *
 * @param helper The helper that needs it, as authors call it.
 * @param name The library (`advapi32.dll`).
 * @param symbols Its functions' signatures.
 * @returns The opened library.
 * @throws {PermissionNeeded} Without `--allow-ffi`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openLibrary } from "./ffi.ts";
 * import { PermissionNeeded } from "@galaxy-ts/runtime/local";
 * if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
 *   assert.throws(() => openLibrary("f()", "x.dll", {}), PermissionNeeded);
 * }
 * ```
 */
export function openLibrary<const S extends Deno.ForeignLibraryInterface>(
  helper: string,
  name: string,
  symbols: S,
): Deno.DynamicLibrary<S> {
  try {
    return Deno.dlopen(name, symbols);
  } catch (error) {
    if (isDenied(error)) throw new PermissionNeeded(helper, "ffi", null, { cause: error });
    throw error;
  }
}

/**
 * `text` as a NUL-terminated UTF-16 string, for a Win32 `LPCWSTR` parameter.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wide } from "./ffi.ts";
 * assert.deepEqual([...wide("Hé")], [0x48, 0xe9, 0]);
 * ```
 */
export function wide(text: string): Uint16Array {
  const out = new Uint16Array(text.length + 1);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
