/**
 * The "bundle" contender: the fixture built by `galaxy build` into the single file that
 * ships. When the build command is not there (or fails), the row is skipped with the
 * reason, never faked.
 *
 * @module
 */

/** A built bundle to run with `deno run -A`, or why there is none. */
export type Bundle =
  | { readonly path: string; readonly dir: string }
  | { readonly skipped: string };

const ROOT = new URL("../", import.meta.url);

/**
 * Builds `tests/fixtures` with the repository's `galaxy build --no-compile` into a
 * temporary folder (`dir`, for the caller to remove); `path` is the bundle.
 *
 * @example
 * ```ts ignore
 * import { buildFixtureBundle } from "./bundle.ts";
 * const bundle = await buildFixtureBundle();
 * console.log("path" in bundle ? bundle.path : `skipped: ${bundle.skipped}`);
 * ```
 */
export async function buildFixtureBundle(): Promise<Bundle> {
  const cli = new URL("src/cli/build.ts", ROOT);
  try {
    await Deno.stat(cli);
  } catch {
    return { skipped: "src/cli/build.ts does not exist yet (the build helper has not landed)" };
  }
  const out = await Deno.makeTempDir({ prefix: "galaxy-bench-" });
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli/main.ts", "build", "tests/fixtures", "--out", out, "--no-compile"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-3).join(" / ");
  if (!output.success) return { skipped: `galaxy build failed (${output.code}): ${text}` };
  for await (const folder of Deno.readDir(out)) {
    if (!folder.isDirectory) continue;
    for await (const entry of Deno.readDir(`${out}/${folder.name}`)) {
      if (entry.isFile && entry.name.endsWith(".js")) {
        return { path: `${out}/${folder.name}/${entry.name}`, dir: out };
      }
    }
  }
  return { skipped: `galaxy build wrote no .js bundle into ${out}` };
}
