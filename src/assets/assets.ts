/**
 * Shipped assets: the data files an integration lists in its manifest.json's `assets`
 * (a default config, a lookup table), found the same way however it runs: from its source
 * folder, as the bundle in the built folder (the build copies them beside it), or as the
 * compiled binary (the build embeds them with `deno compile --include`).
 *
 * They are found relative to the main module (`Deno.mainModule`): the entry module, the
 * bundle, or the binary's embedded bundle, which all sit where the assets' paths start.
 * Reading needs read access to them, which the sandbox of the build and of the simulator
 * grants for exactly the listed assets. A compiled binary sees its embedded files in a
 * virtual folder whose place on disk its baked-in permissions cannot name; when reading
 * there is refused, the copy the release ships beside the binary is read instead (the
 * launcher starts the binary in that folder, where the read permission points).
 *
 * @module
 */

/** Options of {@linkcode assetUrl} and {@linkcode readAsset}. */
export interface AssetOptions {
  /**
   * Where the assets' paths start: the folder of the main module by default. Tests whose
   * file sits elsewhere than the entry module pass the entry's URL here.
   */
  base?: string | URL;
}

/**
 * The URL of the asset `name` (a path as listed in manifest.json's `assets`).
 *
 * @param name The asset's path, relative to the integration folder.
 * @param options Where the paths start.
 * @returns Its file URL.
 * @throws {TypeError} When `name` is absolute or leaves the integration folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assetUrl } from "./assets.ts";
 * const url = assetUrl("data/games.json", { base: "file:///opt/store/plugin.ts" });
 * assert.equal(url.href, "file:///opt/store/data/games.json");
 * ```
 */
export function assetUrl(name: string, options: AssetOptions = {}): URL {
  if (/^([\\/]|[A-Za-z]:|[a-z]+:)/.test(name) || name.split(/[\\/]/).includes("..")) {
    throw new TypeError(
      `asset "${name}": give its path inside the integration folder, as listed in manifest.json`,
    );
  }
  return new URL(name.replaceAll("\\", "/"), options.base ?? Deno.mainModule);
}

/**
 * Reads the asset `name` (a path as listed in manifest.json's `assets`).
 *
 * @param name The asset's path, relative to the integration folder.
 * @param options Where the paths start.
 * @returns Its bytes.
 * @throws {Error} Naming the file and the fix when it is not there or may not be read.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAsset } from "./assets.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/table.csv`, "a,b\n");
 * const bytes = await readAsset("table.csv", { base: `file://${dir}/plugin.ts` });
 * assert.equal(new TextDecoder().decode(bytes), "a,b\n");
 * ```
 */
export async function readAsset(name: string, options: AssetOptions = {}): Promise<Uint8Array> {
  const url = assetUrl(name, options);
  try {
    return await Deno.readFile(url);
  } catch (error) {
    if (!options.base && compiled()) {
      // The shipped copy, beside the binary: the launcher's working directory.
      try {
        return await Deno.readFile(name);
      } catch {
        // Report the first failure: it names the asset's own place.
      }
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `asset "${name}" not found at ${url.pathname}: list it in manifest.json's "assets" ` +
          "and rebuild",
        { cause: error },
      );
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new Error(
        `asset "${name}" may not be read: list it in manifest.json's "assets" (the sandbox ` +
          "grants read access to the listed assets only)",
        { cause: error },
      );
    }
    throw error;
  }
}

/** Whether this runs as a `deno compile` binary (its main module is in the binary). */
function compiled(): boolean {
  return /[\\/]deno-compile-[^\\/]+[\\/]/.test(decodeURIComponent(Deno.mainModule));
}

/**
 * Reads the asset `name` as UTF-8 text.
 *
 * @param name The asset's path, relative to the integration folder.
 * @param options Where the paths start.
 * @returns Its text.
 * @throws {Error} As {@linkcode readAsset} does.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAssetText } from "./assets.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/defaults.json`, '{"region":"eu"}');
 * const text = await readAssetText("defaults.json", { base: `file://${dir}/plugin.ts` });
 * assert.equal(JSON.parse(text).region, "eu");
 * ```
 */
export async function readAssetText(name: string, options: AssetOptions = {}): Promise<string> {
  return new TextDecoder().decode(await readAsset(name, options));
}
