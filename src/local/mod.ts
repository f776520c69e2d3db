/**
 * Helpers for the games on this machine (`@galaxy-ts/runtime/local`): which processes run
 * (to tell whether a game is running), a poller that pushes only what changed from `tick`,
 * launching a URL scheme or an executable detached, opening a document, the Windows
 * registry (values, subkeys, change monitoring, installed programs), the platforms' known
 * folders, environment expansion in paths, and macOS property lists.
 *
 * Each needs exactly these grants in `permissions.integration` of the integration's
 * `deno.json` (the build bakes that set into the binary and the simulator runs with it):
 *
 * | helper | Linux | macOS | Windows |
 * |---|---|---|---|
 * | {@linkcode listProcesses} | `"run": ["ps"]` | `"run": ["ps"]` | `"ffi": true` |
 * | {@linkcode LocalGamesPoller} | none of its own (whatever `scan` needs) | same | same |
 * | {@linkcode launch} a URL | `"run": ["xdg-open"]` | `"run": ["open"]` | `"run": ["rundll32.exe"]` |
 * | {@linkcode launch} an executable | `"run"` and `"read"` for its path | same | same |
 * | {@linkcode openDocument} | as `launch` a URL, and `"read"` for a file's path | same | same |
 * | {@linkcode Registry}, {@linkcode installedPrograms}, {@linkcode RegistryMonitor} | Windows-only | Windows-only | `"ffi": true` |
 * | {@linkcode Registry} over a {@linkcode MemoryRegistry} | none | none | none |
 * | {@linkcode knownDir} | `"env"`: the variables of its row (see `paths.ts`) | same | same |
 * | {@linkcode expandPath} | `"env"`: each variable the path names | same | same |
 * | {@linkcode parsePlist} | none | none | none |
 * | {@linkcode readPlist}, {@linkcode readInfoPlist} | `"read"` for the file or bundle | same | same |
 *
 * A denied permission throws {@linkcode PermissionNeeded} (a {@linkcode LaunchError} from
 * `launch`/`openDocument`) naming the grant. `ffi` must be granted whole (`true`): with a
 * scoped grant Deno 2.9 resolves a bare library name against the working directory.
 * Linux's listing runs `ps` because Deno 2.9 refuses every read under `/proc` without
 * `--allow-all`, whatever `--allow-read` says.
 *
 * What our tests run (on Linux only): the Linux process listing under the build's own
 * flags, the poller, launching and opening, the registry's logic (decoding, views, merging,
 * monitoring, uninstall entries) against `MemoryRegistry`, known folders and expansion for
 * all three systems (with a given environment), and both plist forms. Not run: the Windows
 * FFI (process listing, registry reads and `RegNotifyChangeKeyValue`), macOS `ps` and the
 * Windows and macOS openers; their declarations are type-checked by `deno check`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "@galaxy-ts/runtime";
 * import { findProcesses, listProcesses, LocalGamesPoller } from "@galaxy-ts/runtime/local";
 *
 * // A game is running when a process runs its executable.
 * const installed = new Map([["my-game", Deno.execPath()]]);
 * const poller = new LocalGamesPoller({
 *   scan: async () => {
 *     const processes = await listProcesses();
 *     return [...installed].map(([gameId, exe]) => ({
 *       gameId,
 *       localGameState: LocalGameState.Installed |
 *         (findProcesses(processes, exe).length ? LocalGameState.Running : 0),
 *     }));
 *   },
 *   onChange: (game) => console.log("changed", game), // in a plugin: this.updateLocalGameStatus(game)
 * });
 * const games = await poller.snapshot(); // from getLocalGames
 * assert(games[0].localGameState === 3);
 * ```
 *
 * @module
 */
export { findProcesses, listProcesses, type ProcessInfo } from "./processes.ts";
export { LocalGamesPoller, type LocalGamesPollerOptions } from "./poller.ts";
export {
  isUrl,
  launch,
  LaunchError,
  type LaunchOptions,
  openDocument,
  openerCommand,
} from "./launch.ts";
export { isDenied, type PermissionKind, PermissionNeeded } from "./permission.ts";
export {
  type NamedRegistryValue,
  Registry,
  type RegistryReadOptions,
  type StringReadOptions,
} from "./registry.ts";
export { RegistryError } from "./registry_error.ts";
export type {
  Hive,
  RawValue,
  RegistryBackend,
  RegistryView,
  RegistryWatch,
  WatchState,
} from "./registry_backend.ts";
export { parseKey, storedPath } from "./registry_key.ts";
export { MemoryRegistry, type MemoryWriteOptions } from "./registry_memory.ts";
export { RegistryMonitor } from "./registry_monitor.ts";
export {
  decodeValue,
  encodeValue,
  REGISTRY_TYPES,
  type RegistryBytesType,
  type RegistryType,
  type RegistryValue,
} from "./registry_values.ts";
export { windowsRegistry } from "./registry_windows.ts";
export {
  type InstalledProgram,
  installedPrograms,
  mergeViews,
  UNINSTALL_KEY,
  uninstallEntry,
} from "./installed_programs.ts";
export {
  expandPath,
  type KnownDir,
  knownDir,
  type PlatformOptions,
  readVariable,
} from "./paths.ts";
export { parsePlist, readInfoPlist, readPlist } from "./plist.ts";
export { BPLIST_MAGIC, parseBinaryPlist } from "./plist_binary.ts";
export { type PlistDict, PlistError, PlistUid, type PlistValue } from "./plist_value.ts";
export { parseXmlPlist } from "./plist_xml.ts";
