/**
 * Shipped assets: data files listed in manifest.json's `assets`, read the same way from the
 * source folder, the built bundle and the compiled binary.
 *
 * @module
 */
export { type AssetOptions, assetUrl, readAsset, readAssetText } from "./assets.ts";
