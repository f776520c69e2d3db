/**
 * Process listing on Windows through FFI, as the reference SDK does it with ctypes:
 * `EnumProcesses` (psapi.dll) for the ids, then `OpenProcess` with
 * PROCESS_QUERY_LIMITED_INFORMATION and `QueryFullProcessImageNameW` (kernel32.dll) for each
 * executable's path. Needs `--allow-ffi` (the whole kind; see `ffi.ts`).
 *
 * Not run by our tests (they run on Linux); type-checked only.
 *
 * @module
 */
import { openLibrary } from "./ffi.ts";
import type { ProcessInfo } from "./processes.ts";

const PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;
const MAX_PATH_CHARS = 32_768; // The longest path Windows has, in UTF-16 units.
const UTF16 = new TextDecoder("utf-16le");

const SYMBOLS = {
  psapi: {
    EnumProcesses: { parameters: ["buffer", "u32", "buffer"], result: "i32" },
  },
  kernel32: {
    OpenProcess: { parameters: ["u32", "i32", "u32"], result: "pointer" },
    QueryFullProcessImageNameW: {
      parameters: ["pointer", "u32", "buffer", "buffer"],
      result: "i32",
    },
    CloseHandle: { parameters: ["pointer"], result: "i32" },
  },
} as const;

let libraries:
  | {
    psapi: Deno.DynamicLibrary<typeof SYMBOLS.psapi>;
    kernel32: Deno.DynamicLibrary<typeof SYMBOLS.kernel32>;
  }
  | undefined;

function open() {
  return libraries ??= {
    psapi: openLibrary("listProcesses()", "psapi.dll", SYMBOLS.psapi),
    kernel32: openLibrary("listProcesses()", "kernel32.dll", SYMBOLS.kernel32),
  };
}

/**
 * Lists processes with the Win32 API. Processes whose path cannot be read (protected system
 * processes) get `path: null` and an empty name.
 *
 * @returns Every process the system lists.
 * @throws {PermissionNeeded} Without `--allow-ffi`.
 *
 * @example
 * ```ts ignore
 * import { listWindowsProcesses } from "./processes_windows.ts";
 * const processes = listWindowsProcesses(); // Windows only
 * ```
 */
export function listWindowsProcesses(): ProcessInfo[] {
  const { psapi, kernel32 } = open();
  let pids: Uint32Array;
  for (let capacity = 4096;; capacity *= 2) {
    const buffer = new Uint32Array(capacity);
    const returned = new Uint32Array(1);
    if (!psapi.symbols.EnumProcesses(buffer, buffer.byteLength, returned)) {
      throw new Error("EnumProcesses failed");
    }
    const count = returned[0] / 4;
    // A full buffer may have cut the list short: ask again with more room.
    if (count < capacity) {
      pids = buffer.subarray(0, count);
      break;
    }
  }
  const text = new Uint16Array(MAX_PATH_CHARS);
  const length = new Uint32Array(1);
  const processes: ProcessInfo[] = [];
  for (const pid of pids) {
    if (pid === 0) continue; // The idle process.
    let path: string | null = null;
    const handle = kernel32.symbols.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
    if (handle !== null) {
      try {
        length[0] = text.length;
        if (kernel32.symbols.QueryFullProcessImageNameW(handle, 0, text, length)) {
          path = UTF16.decode(text.subarray(0, length[0]));
        }
      } finally {
        kernel32.symbols.CloseHandle(handle);
      }
    }
    processes.push({
      pid,
      name: path === null ? "" : path.slice(path.lastIndexOf("\\") + 1),
      path,
    });
  }
  return processes;
}
