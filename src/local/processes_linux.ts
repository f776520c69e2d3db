/**
 * Process listing on Linux (and other systems with a Linux-style `/proc`), from `/proc`.
 * Needs `--allow-read=/proc`.
 *
 * @module
 */
import type { ProcessInfo } from "./processes.ts";

/**
 * Lists processes from `/proc`: the executable from the `exe` link (unreadable for other
 * users' processes: `path: null`), the name from the executable, else from `comm`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listLinuxProcesses } from "./processes_linux.ts";
 * if (Deno.build.os === "linux") {
 *   const self = (await listLinuxProcesses()).find((p) => p.pid === Deno.pid);
 *   assert(self?.path === Deno.execPath());
 * }
 * ```
 */
export async function listLinuxProcesses(): Promise<ProcessInfo[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (/^\d+$/.test(entry.name)) pids.push(Number(entry.name));
  }
  const found = await Promise.all(pids.map(readProcess));
  return found.filter((p): p is ProcessInfo => p !== null);
}

async function readProcess(pid: number): Promise<ProcessInfo | null> {
  let path: string | null = null;
  try {
    // A replaced or removed executable reads as "<path> (deleted)".
    path = (await Deno.readLink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, "");
  } catch {
    // Another user's process, or a kernel thread: no executable to show.
  }
  let name: string;
  if (path !== null) {
    name = path.slice(path.lastIndexOf("/") + 1);
  } else {
    try {
      name = (await Deno.readTextFile(`/proc/${pid}/comm`)).trim();
    } catch {
      return null; // Gone between the listing and now.
    }
  }
  return { pid, name, path };
}
