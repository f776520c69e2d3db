/**
 * The registry backend on Windows: advapi32 through Deno FFI. Needs `--allow-ffi`.
 *
 * Not run by our tests (they run on Linux): the declarations below are type-checked by
 * `deno check`; the logic above the seam is tested against `MemoryRegistry`. Handles are
 * passed as `usize` (the predefined roots are sign-extended 32-bit constants, which is how
 * `winreg.h` defines them on 64-bit Windows).
 *
 * @module
 */
import { openLibrary, wide } from "./ffi.ts";
import { RegistryError } from "./registry_error.ts";
import type {
  Hive,
  RawValue,
  RegistryBackend,
  RegistryView,
  RegistryWatch,
  WatchState,
} from "./registry_backend.ts";

const ROOTS: Record<Hive, bigint> = {
  HKCR: 0xFFFFFFFF80000000n,
  HKCU: 0xFFFFFFFF80000001n,
  HKLM: 0xFFFFFFFF80000002n,
  HKU: 0xFFFFFFFF80000003n,
};
const KEY_READ = 0x20019; // Includes KEY_NOTIFY.
const VIEW_FLAGS: Record<RegistryView, number> = { "64": 0x0100, "32": 0x0200 };
const ERROR_SUCCESS = 0;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;
const ERROR_NO_MORE_ITEMS = 259;
const REG_NOTIFY_CHANGE_NAME = 0x1;
const REG_NOTIFY_CHANGE_LAST_SET = 0x4;
const WAIT_OBJECT_0 = 0;
const MAX_KEY_NAME = 256; // Characters, with the NUL: the registry's limit on a key's name.
const UTF16 = new TextDecoder("utf-16le");

const SYMBOLS = {
  advapi32: {
    RegOpenKeyExW: { parameters: ["usize", "buffer", "u32", "u32", "buffer"], result: "i32" },
    RegCloseKey: { parameters: ["usize"], result: "i32" },
    RegQueryInfoKeyW: {
      parameters: [
        "usize", // hKey
        "buffer", // lpClass
        "buffer", // lpcchClass
        "buffer", // lpReserved
        "buffer", // lpcSubKeys
        "buffer", // lpcbMaxSubKeyLen
        "buffer", // lpcbMaxClassLen
        "buffer", // lpcValues
        "buffer", // lpcbMaxValueNameLen
        "buffer", // lpcbMaxValueLen
        "buffer", // lpcbSecurityDescriptor
        "buffer", // lpftLastWriteTime
      ],
      result: "i32",
    },
    RegEnumKeyExW: {
      parameters: ["usize", "u32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
      result: "i32",
    },
    RegEnumValueW: {
      parameters: ["usize", "u32", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
      result: "i32",
    },
    RegQueryValueExW: {
      parameters: ["usize", "buffer", "buffer", "buffer", "buffer", "buffer"],
      result: "i32",
    },
    RegNotifyChangeKeyValue: {
      parameters: ["usize", "i32", "u32", "usize", "i32"],
      result: "i32",
    },
  },
  kernel32: {
    CreateEventW: { parameters: ["buffer", "i32", "i32", "buffer"], result: "usize" },
    WaitForSingleObject: { parameters: ["usize", "u32"], result: "u32" },
    CloseHandle: { parameters: ["usize"], result: "i32" },
  },
} as const;

type Libraries = {
  advapi32: Deno.DynamicLibrary<typeof SYMBOLS.advapi32>["symbols"];
  kernel32: Deno.DynamicLibrary<typeof SYMBOLS.kernel32>["symbols"];
};

let libraries: Libraries | undefined;

function open(): Libraries {
  return libraries ??= {
    advapi32: openLibrary("the registry", "advapi32.dll", SYMBOLS.advapi32).symbols,
    kernel32: openLibrary("the registry", "kernel32.dll", SYMBOLS.kernel32).symbols,
  };
}

/** Opens a key for reading; null when it does not exist or cannot be read. */
function openKey(api: Libraries, hive: Hive, path: string, view?: RegistryView): bigint | null {
  const out = new BigUint64Array(1);
  const access = KEY_READ | (view ? VIEW_FLAGS[view] : 0);
  const status = api.advapi32.RegOpenKeyExW(ROOTS[hive], wide(path), 0, access, out);
  return status === ERROR_SUCCESS ? out[0] : null;
}

function withKey<T>(
  hive: Hive,
  path: string,
  view: RegistryView | undefined,
  use: (
    api: Libraries,
    key: bigint,
  ) => T,
): T | null {
  const api = open();
  const key = openKey(api, hive, path, view);
  if (key === null) return null;
  try {
    return use(api, key);
  } finally {
    api.advapi32.RegCloseKey(key);
  }
}

/** The key's counts and longest lengths, to size the enumeration's buffers. */
function info(api: Libraries, key: bigint) {
  const subkeys = new Uint32Array(1);
  const values = new Uint32Array(1);
  const maxValueName = new Uint32Array(1);
  const maxValueData = new Uint32Array(1);
  const status = api.advapi32.RegQueryInfoKeyW(
    key,
    null,
    null,
    null,
    subkeys,
    null,
    null,
    values,
    maxValueName,
    maxValueData,
    null,
    null,
  );
  if (status !== ERROR_SUCCESS) throw new Error(`RegQueryInfoKeyW failed with error ${status}`);
  return {
    subkeys: subkeys[0],
    values: values[0],
    maxValueName: maxValueName[0] + 1,
    maxValueData: maxValueData[0],
  };
}

function text(buffer: Uint16Array, length: number): string {
  return UTF16.decode(buffer.subarray(0, length));
}

function enumValue(api: Libraries, key: bigint, index: number, sizes: ReturnType<typeof info>) {
  let nameChars = Math.max(sizes.maxValueName, 1);
  let dataBytes = Math.max(sizes.maxValueData, 1);
  // A value can grow between the size query and the read: retry with more room.
  for (;;) {
    const name = new Uint16Array(nameChars);
    const nameLength = new Uint32Array([nameChars]);
    const type = new Uint32Array(1);
    const data = new Uint8Array(dataBytes);
    const dataLength = new Uint32Array([dataBytes]);
    const status = api.advapi32.RegEnumValueW(
      key,
      index,
      name,
      nameLength,
      null,
      type,
      data,
      dataLength,
    );
    if (status === ERROR_NO_MORE_ITEMS) return null;
    if (status === ERROR_MORE_DATA) {
      nameChars *= 2;
      dataBytes = Math.max(dataBytes * 2, dataLength[0]);
      continue;
    }
    if (status !== ERROR_SUCCESS) throw new Error(`RegEnumValueW failed with error ${status}`);
    return {
      name: text(name, nameLength[0]),
      code: type[0],
      data: data.slice(0, dataLength[0]),
    } satisfies RawValue;
  }
}

function watchKey(api: Libraries, key: bigint): RegistryWatch {
  const event = BigInt(api.kernel32.CreateEventW(null, 0, 0, null));
  if (event === 0n) {
    api.advapi32.RegCloseKey(key);
    throw new Error("CreateEventW failed");
  }
  const filter = REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET;
  const arm = () => api.advapi32.RegNotifyChangeKeyValue(key, 1, filter, event, 1);
  let gone = arm() !== ERROR_SUCCESS;
  let closed = false;
  return {
    poll(): WatchState {
      if (closed) return "gone";
      if (api.kernel32.WaitForSingleObject(event, 0) !== WAIT_OBJECT_0) {
        return gone ? "gone" : "unchanged";
      }
      // Signalled: re-arm; that fails once the key is deleted.
      if (arm() !== ERROR_SUCCESS) gone = true;
      return gone ? "gone" : "changed";
    },
    close() {
      if (closed) return;
      closed = true;
      api.advapi32.RegCloseKey(key);
      api.kernel32.CloseHandle(event);
    },
  };
}

/**
 * The Windows registry through FFI, what `new Registry()` reads. Needs `--allow-ffi`. Loads
 * advapi32.dll and kernel32.dll on first use.
 *
 * @returns The backend.
 * @throws {RegistryError} Anywhere but on Windows.
 * @throws {PermissionNeeded} On first use without `--allow-ffi`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowsRegistry } from "@galaxy-ts/runtime/local";
 * if (Deno.build.os !== "windows") assert.throws(windowsRegistry, /Windows-only/);
 * ```
 */
export function windowsRegistry(): RegistryBackend {
  if (Deno.build.os !== "windows") {
    throw new RegistryError(
      `the registry is Windows-only (this system is ${Deno.build.os}); ` +
        "to test registry code here, use new Registry(new MemoryRegistry())",
    );
  }
  return {
    subkeys(hive, path, view) {
      return withKey(hive, path, view, (api, key) => {
        const names: string[] = [];
        const buffer = new Uint16Array(MAX_KEY_NAME);
        const length = new Uint32Array(1);
        for (let index = 0;; index++) {
          length[0] = buffer.length;
          const status = api.advapi32.RegEnumKeyExW(
            key,
            index,
            buffer,
            length,
            null,
            null,
            null,
            null,
          );
          if (status === ERROR_NO_MORE_ITEMS) return names;
          if (status !== ERROR_SUCCESS) {
            throw new Error(`RegEnumKeyExW failed with error ${status}`);
          }
          names.push(text(buffer, length[0]));
        }
      });
    },
    values(hive, path, view) {
      return withKey(hive, path, view, (api, key) => {
        const sizes = info(api, key);
        const found: RawValue[] = [];
        for (let index = 0;; index++) {
          const value = enumValue(api, key, index, sizes);
          if (value === null) return found;
          found.push(value);
        }
      });
    },
    value(hive, path, name, view) {
      return withKey(hive, path, view, (api, key) => {
        const wideName = wide(name);
        const type = new Uint32Array(1);
        const length = new Uint32Array(1);
        let status = api.advapi32.RegQueryValueExW(key, wideName, null, type, null, length);
        for (;;) {
          if (status === ERROR_FILE_NOT_FOUND) return null;
          if (status !== ERROR_SUCCESS && status !== ERROR_MORE_DATA) {
            throw new Error(`RegQueryValueExW failed with error ${status}`);
          }
          const data = new Uint8Array(Math.max(length[0], 1));
          length[0] = data.length;
          status = api.advapi32.RegQueryValueExW(key, wideName, null, type, data, length);
          if (status === ERROR_SUCCESS) {
            return { name, code: type[0], data: data.slice(0, length[0]) };
          }
          if (status === ERROR_MORE_DATA) length[0] = Math.max(length[0], data.length * 2);
        }
      });
    },
    watch(hive, path, view) {
      const api = open();
      const key = openKey(api, hive, path, view);
      return key === null ? null : watchKey(api, key);
    },
  };
}
