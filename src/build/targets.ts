/**
 * The machines a built integration runs on: `deno compile` targets, the OS each belongs to,
 * and the file name of each binary (the launcher template looks for the same names).
 *
 * @module
 */

/**
 * The targets `deno compile` can build (64-bit only; there is no macOS universal binary, so
 * both macOS binaries ship and the launcher picks one at run time).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Target } from "./targets.ts";
 * assert(Target.WindowsX64 === "x86_64-pc-windows-msvc");
 * ```
 */
export const Target = {
  WindowsX64: "x86_64-pc-windows-msvc",
  MacosX64: "x86_64-apple-darwin",
  MacosArm64: "aarch64-apple-darwin",
  LinuxX64: "x86_64-unknown-linux-gnu",
  LinuxArm64: "aarch64-unknown-linux-gnu",
} as const;

/** One of the values of {@linkcode Target}. */
export type Target = typeof Target[keyof typeof Target];

/** The operating systems a release zip is made for. */
export type Os = "windows" | "macos" | "linux";

/** What is built when the author names no target: the two systems Galaxy runs on. */
export const DEFAULT_TARGETS: readonly Target[] = [
  Target.WindowsX64,
  Target.MacosX64,
  Target.MacosArm64,
];

const ALIASES: Record<string, readonly Target[]> = {
  windows: [Target.WindowsX64],
  macos: [Target.MacosX64, Target.MacosArm64],
  linux: [Target.LinuxX64, Target.LinuxArm64],
  all: Object.values(Target),
};

/**
 * The OS a target runs on.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { osOf, Target } from "./targets.ts";
 * assert(osOf(Target.MacosArm64) === "macos");
 * ```
 */
export function osOf(target: Target): Os {
  return target.endsWith("windows-msvc")
    ? "windows"
    : target.endsWith("darwin")
    ? "macos"
    : "linux";
}

/**
 * The binary's file name for `target`: `<stem>-<target>`, plus `.exe` on Windows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binaryName, Target } from "./targets.ts";
 * assert(binaryName("plugin", Target.WindowsX64) === "plugin-x86_64-pc-windows-msvc.exe");
 * ```
 */
export function binaryName(stem: string, target: Target): string {
  return `${stem}-${target}${osOf(target) === "windows" ? ".exe" : ""}`;
}

/**
 * Reads the targets an author asked for: target triples, `windows`, `macos`, `linux`, `all`,
 * or `host` (this machine), comma-separated or repeated. Throws naming a word it does not know.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTargets } from "./targets.ts";
 * assert(parseTargets(["windows,macos"]).length === 3);
 * ```
 */
export function parseTargets(words: readonly string[]): Target[] {
  const found = new Set<Target>();
  const known = Object.values(Target) as string[];
  for (const word of words.flatMap((w) => w.split(",")).map((w) => w.trim()).filter(Boolean)) {
    if (word === "host") {
      if (!known.includes(Deno.build.target)) {
        throw new Error(`this machine (${Deno.build.target}) is not a deno compile target`);
      }
      found.add(Deno.build.target as Target);
    } else if (ALIASES[word]) {
      for (const t of ALIASES[word]) found.add(t);
    } else if (known.includes(word)) {
      found.add(word as Target);
    } else {
      throw new Error(
        `unknown target "${word}"; use windows, macos, linux, all, host or one of ${
          known.join(", ")
        }`,
      );
    }
  }
  return [...found];
}
