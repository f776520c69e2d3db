/**
 * The programs Windows lists as installed ("Apps & features"), from the Uninstall keys that
 * installers write: what a Windows store integration reads first to find its games.
 *
 * @module
 */
import type { Hive, RawValue, RegistryView } from "./registry_backend.ts";
import { Registry } from "./registry.ts";
import { decodeValue } from "./registry_values.ts";

/** Where installers register programs, under HKLM and HKCU, in both views. */
export const UNINSTALL_KEY = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";

/** The hives and views read, in this order: machine-wide 64-bit, 32-bit, then the user's. */
const SOURCES: readonly { hive: Hive; view: RegistryView }[] = [
  { hive: "HKLM", view: "64" },
  { hive: "HKLM", view: "32" },
  { hive: "HKCU", view: "64" },
  { hive: "HKCU", view: "32" },
];

/**
 * One installed program.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { InstalledProgram } from "@galaxy-ts/runtime/local";
 * const program: InstalledProgram = {
 *   keyName: "Store Game 1001", key: "HKLM\\SOFTWARE\\…\\Store Game 1001", hive: "HKLM", view: "64",
 *   displayName: "Game", publisher: null, installLocation: "C:\\Games\\Game",
 *   uninstallString: null, displayVersion: null, displayIcon: null,
 * };
 * assert(program.installLocation?.endsWith("Game"));
 * ```
 */
export interface InstalledProgram {
  /** The name of its Uninstall subkey (often a store's own id, or a `{GUID}`). */
  keyName: string;
  /** The full key as seen in its `view` (`HKLM\SOFTWARE\Microsoft\…\Uninstall\<keyName>`). */
  key: string;
  /** The hive it is registered in: HKLM for every user, HKCU for this user. */
  hive: Hive;
  /** The view it was found in. */
  view: RegistryView;
  /** `DisplayName`: the name Windows shows. */
  displayName: string;
  /** `Publisher`, or null. */
  publisher: string | null;
  /** `InstallLocation` without surrounding quotes, or null. */
  installLocation: string | null;
  /** `UninstallString`: a command line, as stored; or null. */
  uninstallString: string | null;
  /** `DisplayVersion`, or null. */
  displayVersion: string | null;
  /** `DisplayIcon` (a path, often with `,<index>`), or null. */
  displayIcon: string | null;
}

function strings(values: readonly RawValue[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const raw of values) {
    const value = decodeValue(raw.code, raw.data);
    if (value.type !== "REG_SZ" && value.type !== "REG_EXPAND_SZ") continue;
    const text = value.value.trim();
    if (text) found.set(raw.name.toLowerCase(), text);
  }
  return found;
}

/**
 * The program an Uninstall subkey describes, or null when it has no `DisplayName` (Windows
 * does not list those: they are parts of other programs, or left over).
 *
 * @param keyName The subkey's name.
 * @param values Its values, as stored.
 * @param where Where it was found.
 * @returns The program, or null.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { uninstallEntry } from "@galaxy-ts/runtime/local";
 * import { encodeValue } from "@galaxy-ts/runtime/local";
 * const name = { name: "DisplayName", ...encodeValue({ type: "REG_SZ", value: "Game" }) };
 * const entry = uninstallEntry("1001", [name], { hive: "HKCU", view: "64" });
 * assert(entry?.displayName === "Game" && entry.installLocation === null);
 * ```
 */
export function uninstallEntry(
  keyName: string,
  values: readonly RawValue[],
  where: { hive: Hive; view: RegistryView },
): InstalledProgram | null {
  const found = strings(values);
  const displayName = found.get("displayname");
  if (!displayName) return null;
  const location = found.get("installlocation")?.replace(/^"(.*)"$/, "$1").trim();
  return {
    keyName,
    key: `${where.hive}\\${UNINSTALL_KEY}\\${keyName}`,
    hive: where.hive,
    view: where.view,
    displayName,
    publisher: found.get("publisher") ?? null,
    installLocation: location || null,
    uninstallString: found.get("uninstallstring") ?? null,
    displayVersion: found.get("displayversion") ?? null,
    displayIcon: found.get("displayicon") ?? null,
  };
}

/**
 * Merges what each view gave: a key both views show (on 64-bit Windows, HKCU's Uninstall
 * key is shared by both) is listed once, from the first view; two different programs that
 * happen to have the same key name in the two views of HKLM are both kept.
 *
 * @param programs The entries, in the order of reading.
 * @returns The entries without the duplicates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type InstalledProgram, mergeViews } from "@galaxy-ts/runtime/local";
 * const a = { keyName: "1", hive: "HKCU", view: "64", displayName: "A" } as InstalledProgram;
 * assert(mergeViews([a, { ...a, view: "32" }]).length === 1);
 * ```
 */
export function mergeViews(programs: readonly InstalledProgram[]): InstalledProgram[] {
  const seen = new Set<string>();
  return programs.filter((program) => {
    const { view: _view, ...rest } = program;
    const identity = JSON.stringify([program.hive, program.keyName.toLowerCase(), rest]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/**
 * The programs installed on this machine, for every user (HKLM) and this user (HKCU), from
 * the 64- and 32-bit views. Needs `--allow-ffi` on Windows (or pass a registry, such as a
 * `MemoryRegistry` in tests).
 *
 * @param registry Where to read; by default the system's registry.
 * @returns The programs that have a display name, machine-wide 64-bit first.
 * @throws {RegistryError} Without a registry, anywhere but on Windows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { installedPrograms, MemoryRegistry, Registry, UNINSTALL_KEY } from "@galaxy-ts/runtime/local";
 * const memory = new MemoryRegistry();
 * const key = `HKLM\\${UNINSTALL_KEY}\\Store Game 1001`;
 * memory.setValue(key, "DisplayName", { type: "REG_SZ", value: "Game" }, { view: "32" });
 * memory.setValue(key, "InstallLocation", { type: "REG_SZ", value: '"D:\\Game"' }, { view: "32" });
 * const [game] = installedPrograms(new Registry(memory));
 * assert(game.installLocation === "D:\\Game" && game.view === "32");
 * ```
 */
export function installedPrograms(registry: Registry = new Registry()): InstalledProgram[] {
  const found: InstalledProgram[] = [];
  for (const where of SOURCES) {
    const backend = registry.backend;
    for (const keyName of backend.subkeys(where.hive, UNINSTALL_KEY, where.view) ?? []) {
      const values = backend.values(where.hive, `${UNINSTALL_KEY}\\${keyName}`, where.view);
      const entry = values && uninstallEntry(keyName, values, where);
      if (entry) found.push(entry);
    }
  }
  return mergeViews(found);
}
