/**
 * The processes running on this machine, for "is this game running": what the reference
 * SDK's `galaxy.proc_tools` gives, with the way of reading chosen at run time.
 *
 * | system | how | permission | run by our tests |
 * |---|---|---|---|
 * | Linux | procps's `ps -e -ww -o pid=,comm=,exe=` | `--allow-run=ps` | yes, under the build's flags |
 * | Windows | FFI: `EnumProcesses` (psapi), `OpenProcess` + `QueryFullProcessImageNameW` (kernel32) | `--allow-ffi` | type-checked only |
 * | macOS | the system's `ps -axo pid=,comm=` | `--allow-run=ps` | type-checked only |
 *
 * In `deno.json`: `"permissions": { "integration": { "run": ["ps"] } }` (Linux, macOS) and
 * `"ffi": true` (Windows); the build bakes the set into the binary and the simulator runs
 * with it. Linux reads no `/proc` itself: Deno 2.9 refuses any read under `/proc` without
 * `--allow-all`, whatever `--allow-read` says.
 *
 * A process whose executable cannot be read (another user's, a protected system process) is
 * listed with `path: null`, as the reference does.
 *
 * @module
 */
import { listLinuxProcesses } from "./processes_linux.ts";
import { listMacProcesses } from "./processes_macos.ts";
import { listWindowsProcesses } from "./processes_windows.ts";

/**
 * One running process.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findProcesses, type ProcessInfo } from "@galaxy-ts/runtime/local";
 * const game: ProcessInfo = { pid: 4242, name: "game", path: "/usr/games/game" };
 * assert(findProcesses([game], "/usr/games/game", "linux")[0].pid === 4242);
 * ```
 */
export interface ProcessInfo {
  /** The process id. */
  pid: number;
  /** The executable's file name (`game.exe`), or the kernel's short name when unknown. */
  name: string;
  /** The executable's full path, or null when it cannot be read. */
  path: string | null;
}

/**
 * Lists the processes running now.
 *
 * Needs `--allow-run=ps` on Linux and macOS, `--allow-ffi` on Windows.
 *
 * @returns Every process the system shows this user.
 * @throws {PermissionNeeded} When the permission is not granted, naming the `deno.json` grant.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listProcesses } from "@galaxy-ts/runtime/local";
 * const processes = await listProcesses();
 * assert(processes.some((p) => p.pid === Deno.pid));
 * ```
 */
export function listProcesses(): Promise<ProcessInfo[]> {
  switch (Deno.build.os) {
    case "windows":
      return Promise.resolve(listWindowsProcesses());
    case "darwin":
      return listMacProcesses();
    default:
      return listLinuxProcesses();
  }
}

/**
 * The processes whose executable is `path`; compared without case on Windows and macOS,
 * whose usual file systems ignore it, and with either slash on Windows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findProcesses, listProcesses } from "@galaxy-ts/runtime/local";
 * const mine = findProcesses(await listProcesses(), Deno.execPath());
 * assert(mine.some((p) => p.pid === Deno.pid));
 * ```
 */
export function findProcesses(
  processes: readonly ProcessInfo[],
  path: string,
  os: typeof Deno.build.os = Deno.build.os,
): ProcessInfo[] {
  const key = pathKey(path, os);
  return processes.filter((p) => p.path !== null && pathKey(p.path, os) === key);
}

function pathKey(path: string, os: typeof Deno.build.os): string {
  if (os === "windows") return path.replaceAll("/", "\\").toLowerCase();
  if (os === "darwin") return path.toLowerCase();
  return path;
}
