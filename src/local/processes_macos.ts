/**
 * Process listing on macOS, through the system's own `ps`. Needs `--allow-run=ps`.
 *
 * Not run by our tests (they run on Linux); type-checked only. It relies on macOS `ps`
 * printing the executable's full path in its `comm` column, as BSD `ps` does.
 *
 * @module
 */
import type { ProcessInfo } from "./processes.ts";
import { runPs } from "./ps.ts";

/**
 * Lists processes with `ps -axo pid=,comm=`.
 *
 * @returns Every process ps shows.
 * @throws {PermissionNeeded} Without `--allow-run=ps`.
 *
 * @example
 * ```ts ignore
 * import { listMacProcesses } from "./processes_macos.ts";
 * const processes = await listMacProcesses(); // macOS only
 * ```
 */
export async function listMacProcesses(): Promise<ProcessInfo[]> {
  return parsePsOutput(await runPs(["-axo", "pid=,comm="]));
}

/**
 * Reads `ps -o pid=,comm=` output: a pid, spaces, then the command, which may hold spaces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parsePsOutput } from "./processes_macos.ts";
 * const [game] = parsePsOutput("  42 /Applications/My Game.app/Contents/MacOS/My Game\n");
 * assert(game.pid === 42 && game.name === "My Game");
 * ```
 */
export function parsePsOutput(text: string): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const line of text.split("\n")) {
    const match = /^\s*(\d+)\s+(.+?)\s*$/.exec(line);
    if (!match) continue;
    const command = match[2];
    const path = command.startsWith("/") ? command : null;
    processes.push({
      pid: Number(match[1]),
      name: command.slice(command.lastIndexOf("/") + 1),
      path,
    });
  }
  return processes;
}
