/**
 * The sandbox of an integration, one computation for every way it runs: the permission set
 * of its deno.json (see `permissions.ts`) plus read access to the assets its manifest ships.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { checkManifest } from "./manifest.ts";
import { type PermissionFlags, permissionFlags } from "./permissions.ts";

/**
 * Where the integration runs: from its `source` folder (the simulator, the dev task), or
 * `built`, from the folder the build made, whose launcher starts it with that folder as
 * its working directory.
 */
export type RunFrom = "source" | "built";

/**
 * The assets an integration folder's manifest.json lists; none when it has no manifest or
 * an invalid one (the build reports that, not this).
 *
 * @param folder The integration folder.
 * @returns The asset paths, relative to the folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { manifestAssets } from "./sandbox.ts";
 * assert.deepEqual(await manifestAssets(await Deno.makeTempDir()), []);
 * ```
 */
export async function manifestAssets(folder: string): Promise<string[]> {
  try {
    const checked = checkManifest(
      JSON.parse(await Deno.readTextFile(join(folder, "manifest.json"))),
    );
    return checked.ok ? checked.manifest.assets ?? [] : [];
  } catch {
    return [];
  }
}

/**
 * The permission flags an integration runs with: exactly those of its built binary, with
 * the assets' paths as they are seen from where it runs.
 *
 * @param folder The integration folder.
 * @param from Whether it runs from its source folder or from the built folder.
 * @returns The flags, or one line per problem of its deno.json.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sandboxFlags } from "./sandbox.ts";
 * const result = await sandboxFlags(await Deno.makeTempDir(), "source");
 * assert(result.ok && result.flags[0] === "--allow-net=127.0.0.1");
 * ```
 */
export async function sandboxFlags(folder: string, from: RunFrom): Promise<PermissionFlags> {
  const assets = await manifestAssets(folder);
  const read = from === "source" ? assets.map((asset) => join(resolve(folder), asset)) : assets;
  const flags = await permissionFlags(folder, read);
  // From source, Deno loads the modules themselves (the runtime by URL, say) from hosts its
  // default list lacks; the bundle and the binary have them inside, so this grants nothing
  // that the shipped integration does at run time.
  if (from === "source" && flags.ok) flags.flags.push("--allow-import");
  return flags;
}
