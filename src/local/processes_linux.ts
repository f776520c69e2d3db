/**
 * Process listing on Linux, through procps's `ps`. Needs `--allow-run=ps`.
 *
 * Reading `/proc` directly is not possible in the sandbox a built integration (and the
 * simulator) runs in: Deno 2.9 refuses every read under `/proc`, even with
 * `--allow-read=/proc` or `--allow-read`, unless it has `--allow-all` ("Requires all access
 * to /proc"). `ps` reads it for us outside the sandbox.
 *
 * @module
 */
import type { ProcessInfo } from "./processes.ts";
import { runPs } from "./ps.ts";

/** The kernel's limit on a process's short name (`comm`), which ps pads its column to. */
const COMM_WIDTH = 15;

/**
 * Lists processes with `ps -e -ww -o pid=,comm=,exe=`: the executable from `exe` (unknown
 * for other users' processes: `path: null`), the name from the executable, else from `comm`.
 *
 * @returns Every process ps shows.
 * @throws {PermissionNeeded} Without `--allow-run=ps`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listLinuxProcesses } from "./processes_linux.ts";
 * if (Deno.build.os === "linux") {
 *   const self = (await listLinuxProcesses()).find((p) => p.pid === Deno.pid);
 *   assert(self?.path === await Deno.realPath(Deno.execPath()));
 * }
 * ```
 */
export async function listLinuxProcesses(): Promise<ProcessInfo[]> {
  return parseLinuxPs(await runPs(["-e", "-ww", "-o", "pid=,comm=,exe="]));
}

/**
 * Reads `ps -o pid=,comm=,exe=` output from procps: a right-aligned pid, the short name padded
 * to 15 characters, then the executable's path or `-` when it cannot be read.
 *
 * @param text What ps printed.
 * @returns One entry per line that has a pid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLinuxPs } from "./processes_linux.ts";
 * const [game, kernel] = parseLinuxPs(
 *   " 4242 My Game x64     /opt/My Game/game x64\n    2 kthreadd        -\n",
 * );
 * assert(game.name === "game x64" && game.path === "/opt/My Game/game x64");
 * assert(kernel.name === "kthreadd" && kernel.path === null);
 * ```
 */
export function parseLinuxPs(text: string): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const line of text.split("\n")) {
    const head = /^\s*(\d+) /.exec(line);
    if (!head) continue;
    const rest = line.slice(head[0].length);
    // Fixed width first; a name ps printed wider (escaped bytes) still leaves the path as
    // the part from the last " /" or the final "-".
    let comm = rest.slice(0, COMM_WIDTH);
    let exe = rest.slice(COMM_WIDTH + 1);
    if (rest[COMM_WIDTH] !== " " || !(exe === "-" || exe.startsWith("/"))) {
      const split = rest.endsWith(" -") ? rest.length - 2 : rest.indexOf(" /");
      comm = split < 0 ? rest : rest.slice(0, split);
      exe = split < 0 ? "-" : rest.slice(split + 1);
    }
    // A replaced or removed executable reads as "<path> (deleted)".
    const path = exe === "-" ? null : exe.replace(/ \(deleted\)$/, "");
    processes.push({
      pid: Number(head[1]),
      name: path === null ? comm.trim() : path.slice(path.lastIndexOf("/") + 1),
      path,
    });
  }
  return processes;
}
