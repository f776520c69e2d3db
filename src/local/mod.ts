/**
 * Helpers for the games on this machine (`@galaxy-ts/runtime/local`): which processes run
 * (to tell whether a game is running), a poller that pushes only what changed from `tick`,
 * and launching a URL scheme or an executable detached.
 *
 * | helper | permission |
 * |---|---|
 * | {@linkcode listProcesses} | Linux and macOS `--allow-run=ps`; Windows `--allow-ffi` |
 * | {@linkcode LocalGamesPoller} | none of its own (whatever `scan` needs) |
 * | {@linkcode launch} | `--allow-run`, and `--allow-read` for an executable's path |
 *
 * Our tests run on Linux only: the Linux process listing, the poller and launching are run
 * there; the Windows (FFI) and macOS (`ps`) listings and openers are type-checked, not run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "../protocol/mod.ts";
 * import { findProcesses, listProcesses, LocalGamesPoller } from "./mod.ts";
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
  RegistryError,
  type RegistryReadOptions,
  systemRegistry,
} from "./registry.ts";
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
