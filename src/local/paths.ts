/**
 * The folders integrations read their platform's files from: the user's home, Windows'
 * roaming and local app data and program data, macOS's Application Support and Caches, the
 * XDG folders on Linux. Each comes from environment variables, so each needs
 * `--allow-env` for exactly the variables of its row:
 *
 * | folder | Windows | macOS | Linux |
 * |---|---|---|---|
 * | `home` | `USERPROFILE` | `HOME` | `HOME` |
 * | `roamingAppData` | `APPDATA` (else `USERPROFILE\AppData\Roaming`) | – | – |
 * | `localAppData` | `LOCALAPPDATA` (else `USERPROFILE\AppData\Local`) | – | – |
 * | `programData` | `ProgramData` (else `C:\ProgramData`) | – | – |
 * | `applicationSupport` | – | `HOME/Library/Application Support` | – |
 * | `config` | `APPDATA` | `HOME/Library/Application Support` | `XDG_CONFIG_HOME` (else `HOME/.config`) |
 * | `data` | `LOCALAPPDATA` | `HOME/Library/Application Support` | `XDG_DATA_HOME` (else `HOME/.local/share`) |
 * | `cache` | `LOCALAPPDATA` | `HOME/Library/Caches` | `XDG_CACHE_HOME` (else `HOME/.cache`) |
 *
 * A fallback's variables are read only when the first is unset, but a sandbox must grant
 * them all for the lookup to work wherever it runs: e.g. `"env": ["APPDATA", "USERPROFILE"]`.
 *
 * @module
 */
import { isDenied, PermissionNeeded } from "./permission.ts";

/** The folders {@linkcode knownDir} finds. */
export type KnownDir =
  | "home"
  | "roamingAppData"
  | "localAppData"
  | "programData"
  | "applicationSupport"
  | "config"
  | "data"
  | "cache";

/**
 * Where a folder is on one system: the variable that names it, else a folder under home
 * (or under a fixed root when `under` is a path).
 */
interface Rule {
  variable?: string;
  under?: { base: "home" | string; path: string[] };
}

type System = "windows" | "darwin" | "linux";

const RULES: Record<KnownDir, Partial<Record<System, Rule>>> = {
  home: {
    windows: { variable: "USERPROFILE" },
    darwin: { variable: "HOME" },
    linux: { variable: "HOME" },
  },
  roamingAppData: {
    windows: { variable: "APPDATA", under: { base: "home", path: ["AppData", "Roaming"] } },
  },
  localAppData: {
    windows: { variable: "LOCALAPPDATA", under: { base: "home", path: ["AppData", "Local"] } },
  },
  programData: {
    windows: { variable: "ProgramData", under: { base: "C:\\", path: ["ProgramData"] } },
  },
  applicationSupport: {
    darwin: { under: { base: "home", path: ["Library", "Application Support"] } },
  },
  config: {
    windows: { variable: "APPDATA", under: { base: "home", path: ["AppData", "Roaming"] } },
    darwin: { under: { base: "home", path: ["Library", "Application Support"] } },
    linux: { variable: "XDG_CONFIG_HOME", under: { base: "home", path: [".config"] } },
  },
  data: {
    windows: { variable: "LOCALAPPDATA", under: { base: "home", path: ["AppData", "Local"] } },
    darwin: { under: { base: "home", path: ["Library", "Application Support"] } },
    linux: { variable: "XDG_DATA_HOME", under: { base: "home", path: [".local", "share"] } },
  },
  cache: {
    windows: { variable: "LOCALAPPDATA", under: { base: "home", path: ["AppData", "Local"] } },
    darwin: { under: { base: "home", path: ["Library", "Caches"] } },
    linux: { variable: "XDG_CACHE_HOME", under: { base: "home", path: [".cache"] } },
  },
};

/**
 * Where {@linkcode knownDir} and {@linkcode expandPath} look: the system and its
 * environment, for tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { knownDir, type PlatformOptions } from "@galaxy-ts/runtime/local";
 * const windows: PlatformOptions = { os: "windows", env: (n) => n === "APPDATA" ? "C:\\R" : undefined };
 * assert(knownDir("roamingAppData", windows) === "C:\\R");
 * ```
 */
export interface PlatformOptions {
  /** The system; @default {Deno.build.os} */
  os?: typeof Deno.build.os;
  /** Reads a variable; by default `Deno.env.get`. */
  env?: (name: string) => string | undefined;
}

/**
 * Reads an environment variable for `helper`, saying which grant is missing when the
 * sandbox refuses it.
 *
 * @param helper The helper asking, as authors call it.
 * @param name The variable.
 * @param env The reader to use; by default `Deno.env.get`.
 * @returns Its value, or undefined when unset or empty.
 * @throws {PermissionNeeded} When `--allow-env` does not cover it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readVariable } from "@galaxy-ts/runtime/local";
 * assert(readVariable("f()", "X", () => "") === undefined);
 * ```
 */
export function readVariable(
  helper: string,
  name: string,
  env?: (name: string) => string | undefined,
): string | undefined {
  try {
    return (env ?? ((n: string) => Deno.env.get(n)))(name) || undefined;
  } catch (error) {
    if (isDenied(error)) throw new PermissionNeeded(helper, "env", name, { cause: error });
    throw error;
  }
}

/**
 * A known folder of this system (see the module's table for where each comes from and the
 * variables its `--allow-env` must cover).
 *
 * @param name The folder.
 * @param options The system and environment; by default this process's.
 * @returns Its path, without a trailing separator.
 * @throws {Error} When the folder does not exist on this system, or its variables are unset.
 * @throws {PermissionNeeded} When `--allow-env` does not cover a variable it reads.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { knownDir } from "@galaxy-ts/runtime/local";
 * const mac = { os: "darwin" as const, env: (n: string) => n === "HOME" ? "/Users/me" : undefined };
 * assert(knownDir("applicationSupport", mac) === "/Users/me/Library/Application Support");
 * ```
 */
export function knownDir(name: KnownDir, options: PlatformOptions = {}): string {
  const os = options.os ?? Deno.build.os;
  const system: System = os === "windows" || os === "darwin" ? os : "linux";
  const rule = RULES[name][system];
  const helper = `knownDir("${name}")`;
  if (!rule) {
    const where = Object.keys(RULES[name]).join(", ");
    throw new Error(`${helper} exists on ${where} only, not on ${os}`);
  }
  const sep = system === "windows" ? "\\" : "/";
  const set = rule.variable && readVariable(helper, rule.variable, options.env);
  if (set) return trimEnd(set, sep);
  if (!rule.under) {
    throw new Error(`${helper}: the environment variable ${rule.variable} is not set`);
  }
  const base = rule.under.base === "home" ? knownDir("home", options) : rule.under.base;
  return [stripEnd(base, sep), ...rule.under.path].join(sep);
}

function stripEnd(path: string, sep: string): string {
  return path.replace(sep === "\\" ? /[\\/]+$/ : /\/+$/, "");
}

function trimEnd(path: string, sep: string): string {
  const trimmed = stripEnd(path, sep);
  // A root keeps its separator ("/", "C:\").
  return trimmed === "" || /^[A-Za-z]:$/.test(trimmed) ? trimmed + sep : trimmed;
}

/**
 * Expands the environment variables in a path read from a platform's config files or the
 * registry: `%NAME%` on Windows (as `ExpandEnvironmentStrings` does, names without case),
 * `$NAME` and `${NAME}` everywhere, and a leading `~` as the home folder. A variable that
 * is not set stays as written, as both systems leave it. Needs `--allow-env` for each
 * variable the path names.
 *
 * @param path The path.
 * @param options The system and environment; by default this process's.
 * @returns The expanded path.
 * @throws {PermissionNeeded} When `--allow-env` does not cover a variable the path names.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandPath } from "@galaxy-ts/runtime/local";
 * const env = (n: string) => ({ PROGRAMFILES: "C:\\Program Files" })[n.toUpperCase()];
 * assert(expandPath("%ProgramFiles%\\Store\\%NOPE%", { os: "windows", env }) ===
 *   "C:\\Program Files\\Store\\%NOPE%");
 * ```
 */
export function expandPath(path: string, options: PlatformOptions = {}): string {
  const os = options.os ?? Deno.build.os;
  const pattern = os === "windows"
    ? /%([A-Za-z_][\w() .-]*)%|\$\{([^}]+)\}|\$([A-Za-z_]\w*)/g
    : /\$\{([^}]+)\}|\$([A-Za-z_]\w*)/g;
  let expanded = path.replace(pattern, (whole, ...groups: (string | undefined)[]) => {
    const name = groups.slice(0, os === "windows" ? 3 : 2).find((g) => g !== undefined)!;
    return readVariable("expandPath()", name, options.env) ?? whole;
  });
  if (/^~(?:[\\/]|$)/.test(expanded)) expanded = knownDir("home", options) + expanded.slice(1);
  return expanded;
}
