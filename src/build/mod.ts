/**
 * Building an integration for Galaxy: the manifest's checks, the bundle, `deno compile` per
 * target, the Python launcher, and the release zips. The `build` command of the CLI runs it.
 *
 * @module
 */
export { build, BuildError, type BuildOptions, type BuildResult } from "./build.ts";
export {
  type Bundle,
  bundle,
  type BundleShares,
  bundleShares,
  relocateSources,
  type SourceMap,
  type SourceMapOptions,
} from "./bundle.ts";
export { compile, type CompileResult } from "./compile.ts";
export { type LauncherOptions, launcherSource } from "./launcher.ts";
export { checkManifest, entryModule, folderName, type Manifest } from "./manifest.ts";
export { pack, type PackInput, type ReleaseFile, zipName } from "./pack.ts";
export {
  PERMISSION_SET,
  type PermissionFlags,
  permissionFlags,
  permissionHint,
} from "./permissions.ts";
export {
  bundleRuntime,
  RUNTIME_ENTRIES,
  type RuntimeBundle,
  type RuntimeBundleFile,
} from "./runtime_bundle.ts";
export { manifestAssets, type RunFrom, sandboxFlags } from "./sandbox.ts";
export { binaryName, DEFAULT_TARGETS, type Os, osOf, parseTargets, Target } from "./targets.ts";
export { zip, type ZipEntry } from "./zip.ts";
