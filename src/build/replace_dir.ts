/**
 * Moving a finished build into place without ever losing the previous one.
 *
 * @module
 */

/** Renames a path; {@linkcode Deno.rename} unless a test puts another in. */
export type Rename = (from: string, to: string) => Promise<void>;

/**
 * Moves `from` to `to`, replacing whatever is at `to`. The earlier `to` is first moved to
 * `aside`; if the second move fails it is put back before the error is rethrown, so a build
 * that cannot be moved in leaves the previous build where it was.
 *
 * @param from The new folder.
 * @param to Where it goes.
 * @param aside A path on the same file system, free, where the old `to` waits.
 * @param rename The rename to use.
 * @throws Whatever the move of `from` threw, after the old `to` is back in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaceDir } from "./replace_dir.ts";
 * const tmp = await Deno.makeTempDir();
 * await Deno.mkdir(`${tmp}/new`);
 * await Deno.writeTextFile(`${tmp}/new/file`, "2");
 * await Deno.mkdir(`${tmp}/dist`);
 * await Deno.writeTextFile(`${tmp}/dist/file`, "1");
 * await replaceDir(`${tmp}/new`, `${tmp}/dist`, `${tmp}/old`);
 * assert.equal(await Deno.readTextFile(`${tmp}/dist/file`), "2");
 * await Deno.remove(tmp, { recursive: true });
 * ```
 */
export async function replaceDir(
  from: string,
  to: string,
  aside: string,
  rename: Rename = Deno.rename,
): Promise<void> {
  let moved = true;
  try {
    await rename(to, aside);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    moved = false;
  }
  try {
    await rename(from, to);
  } catch (error) {
    if (moved) await rename(aside, to);
    throw error;
  }
}
