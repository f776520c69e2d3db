/**
 * `deno compile` of a bundle into one self-contained binary per target.
 *
 * The compiled binary is Deno's runtime (`denort`, downloaded per target from dl.deno.land,
 * or the file `DENORT_BIN` names) with the bundle appended; it is never stripped or
 * compressed, which would cut the appended bundle off.
 *
 * @module
 */
import type { Target } from "./targets.ts";

/** What came of compiling for one target. */
export type CompileResult =
  | { ok: true; path: string }
  /** The runtime for the target could not be had: skip, and say so once. */
  | { ok: false; runtimeMissing: true; message: string }
  | { ok: false; runtimeMissing: false; message: string };

/**
 * Compiles `bundlePath` for `target` into `output` with exactly the permissions `flags`
 * grant, and no prompt for any other; the files of `include` (the assets) are embedded.
 *
 * @example
 * ```ts ignore
 * import { compile } from "./compile.ts";
 * const result = await compile("dist/x/plugin.js", "dist/x/plugin-x86_64-apple-darwin",
 *   "x86_64-apple-darwin", ["--allow-net=127.0.0.1"]);
 * if (!result.ok) console.log(result.message);
 * ```
 */
export async function compile(
  bundlePath: string,
  output: string,
  target: Target,
  flags: readonly string[],
  include: readonly string[] = [],
): Promise<CompileResult> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "compile",
      "--quiet",
      "--no-config",
      "--no-check",
      "--no-prompt",
      ...flags,
      ...include.flatMap((file) => ["--include", file]),
      "--target",
      target,
      "--output",
      output,
      bundlePath,
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (success) return { ok: true, path: output };
  const text = new TextDecoder().decode(stderr);
  if (/denort|base binary|dl\.deno\.land/i.test(text)) {
    let denort: string | undefined;
    try {
      denort = Deno.env.get("DENORT_BIN");
    } catch {
      // No env permission: report as if unset.
    }
    return {
      ok: false,
      runtimeMissing: true,
      message: denort
        ? `the Deno runtime for ${target} could not be had (DENORT_BIN=${denort} is not one)`
        : `the Deno runtime for ${target} could not be had (offline, and DENORT_BIN unset)`,
    };
  }
  const first = text.split("\n").find((line) => line.trim()) ?? "unknown error";
  return { ok: false, runtimeMissing: false, message: `compiling for ${target}: ${first.trim()}` };
}
