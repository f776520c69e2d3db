/**
 * The whole build of an integration folder: check, bundle, compile, launcher, release zips.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Bundle, bundle } from "./bundle.ts";
import { compile } from "./compile.ts";
import { launcherSource } from "./launcher.ts";
import { checkManifest, entryModule, folderName, type Manifest } from "./manifest.ts";
import { pack } from "./pack.ts";
import { permissionFlags } from "./permissions.ts";
import { binaryName, DEFAULT_TARGETS, type Target } from "./targets.ts";

/** Options of {@linkcode build}. */
export interface BuildOptions {
  /** The integration folder (its manifest.json and entry module); the current directory by default. */
  folder?: string;
  /** Where `<name>/` and the zips go; `dist` in the current directory by default. */
  outDir?: string;
  /** The compile targets; Windows x64 and both macOS by default. */
  targets?: readonly Target[];
  /** Whether to run `deno compile`; true by default. */
  compile?: boolean;
  /** Where the zips will be downloaded from, for current_version.json. */
  downloadUrl?: string;
}

/** What {@linkcode build} made. */
export interface BuildResult {
  /** The checked manifest. */
  manifest: Manifest;
  /** The built folder, `<outDir>/<name>`. */
  dir: string;
  /** The bundle and where its bytes come from. */
  bundle: Bundle;
  /** The binaries compiled, as paths. */
  binaries: string[];
  /** Why no binary was compiled for some targets, in one line, if so. */
  compileSkipped?: string;
  /** The release files written into outDir. */
  release: string[];
}

/**
 * A build that cannot go on: each problem is one line; `exitCode` is 2 for what the author
 * must fix in the manifest or entry module, 1 for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BuildError } from "./build.ts";
 * const error = new BuildError(["guid: guid is not a UUID; set it to a fresh UUID"], 2);
 * assert(error.exitCode === 2 && error.problems.length === 1);
 * ```
 */
export class BuildError extends Error {
  /** One line per problem. */
  readonly problems: string[];
  /** The exit code the CLI ends with. */
  readonly exitCode: number;

  /** Makes the error from its problem lines. */
  constructor(problems: string[], exitCode: number) {
    super(problems.join("\n"));
    this.name = "BuildError";
    this.problems = problems;
    this.exitCode = exitCode;
  }
}

/**
 * Builds the integration in `options.folder` into `<outDir>/<name>/` (manifest.json, the
 * launcher, the bundle and its source map, the binaries compile could make) and the release
 * files beside it. Nothing is written before every check passed, and nothing half-built is
 * left: the folder is made elsewhere and moved in whole.
 *
 * @example
 * ```ts ignore
 * import { build } from "./build.ts";
 * const result = await build({ folder: "tests/fixtures", compile: false });
 * console.log(result.dir, result.bundle.shares);
 * ```
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const folder = resolve(options.folder ?? ".");
  const { manifest, manifestBytes, entry, flags } = await check(folder);
  const targets = options.targets ?? DEFAULT_TARGETS;
  const name = folderName(manifest);
  const stem = basename(entry, ".ts");
  const outDir = resolve(options.outDir ?? "dist");
  await Deno.mkdir(outDir, { recursive: true });
  const work = await Deno.makeTempDir({ dir: outDir, prefix: `.${name}.building-` });
  try {
    const dir = join(work, name);
    await Deno.mkdir(dir);
    const bundled = await bundle(folder, entry, dir, stem).catch((error) => {
      throw new BuildError([error.message], 1);
    });
    await Deno.writeFile(join(dir, "manifest.json"), manifestBytes);
    await Deno.writeTextFile(
      join(dir, manifest.script),
      launcherSource({ stem, denoFlags: flags }),
    );
    const { binaries, skipped } = options.compile === false
      ? { binaries: [], skipped: undefined }
      : await compileAll(join(dir, `${stem}.js`), dir, stem, targets, flags);
    const files = ["manifest.json", manifest.script, `${stem}.js`, `${stem}.js.map`];
    const release = await pack({
      dir,
      name,
      version: manifest.version,
      files,
      targets,
      binaries,
      updateUrl: manifest.update_url,
      downloadUrl: options.downloadUrl,
    });
    for (const file of release) await Deno.writeFile(join(work, file.name), file.bytes);
    // Everything is made: move it in, replacing an earlier build.
    const final = join(outDir, name);
    const old = join(work, ".old");
    await Deno.rename(final, old).catch(() => {});
    await Deno.rename(dir, final);
    for (const file of release) await Deno.rename(join(work, file.name), join(outDir, file.name));
    const at = (p: string) => join(final, basename(p));
    return {
      manifest,
      dir: final,
      bundle: { ...bundled, path: at(bundled.path), mapPath: at(bundled.mapPath) },
      binaries: binaries.map((b) => join(final, b.file)),
      compileSkipped: skipped,
      release: release.map((file) => join(outDir, file.name)),
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/**
 * Compiles for every target it can; says in one line which targets were skipped and why.
 * Only a missing runtime is skipped: any other compile error fails the build.
 */
async function compileAll(
  bundlePath: string,
  dir: string,
  stem: string,
  targets: readonly Target[],
  flags: readonly string[],
): Promise<{ binaries: { file: string; target: Target }[]; skipped?: string }> {
  const binaries: { file: string; target: Target }[] = [];
  const skipped: Target[] = [];
  let reason = "";
  // DENORT_BIN is one machine's runtime: deno compile would wrap other targets in it too.
  const host = envVar("DENORT_BIN") ? Deno.build.target : undefined;
  for (const target of targets) {
    if (host && target !== host) {
      skipped.push(target);
      reason ||= `DENORT_BIN is the runtime of ${host} only`;
      continue;
    }
    if (reason.startsWith("the Deno runtime")) {
      // Offline for one target, offline for all: do not wait for each download to fail.
      skipped.push(target);
      continue;
    }
    const file = binaryName(stem, target);
    const result = await compile(bundlePath, join(dir, file), target, flags);
    if (result.ok) binaries.push({ file, target });
    else if (result.runtimeMissing) {
      skipped.push(target);
      reason = result.message.replace(/ for \S+ /, " ");
    } else throw new BuildError([result.message], 1);
  }
  if (!skipped.length) return { binaries };
  return {
    binaries,
    skipped: `compile skipped for ${skipped.join(", ")}: ${reason}; everything else is built`,
  };
}

function envVar(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/** Every check that needs no writing; throws a BuildError (exit code 2) listing the problems. */
async function check(folder: string) {
  const fail = (problems: string[]): never => {
    throw new BuildError(problems, 2);
  };
  const manifestPath = join(folder, "manifest.json");
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = await Deno.readFile(manifestPath);
  } catch {
    return fail([`manifest.json: not found in ${folder}; build the folder that holds it`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(manifestBytes));
  } catch (error) {
    return fail([`manifest.json: not valid JSON (${(error as Error).message}); fix its syntax`]);
  }
  const checked = checkManifest(data);
  if (!checked.ok) return fail(checked.problems);
  const manifest = checked.manifest;
  const entry = join(folder, entryModule(manifest.script));
  try {
    if (!(await Deno.stat(entry)).isFile) throw new Error();
  } catch {
    return fail([
      `script: its entry module ${entryModule(manifest.script)} is not in ${folder}; ` +
      "write it, exporting the Plugin subclass",
    ]);
  }
  const problems: string[] = [];
  const declared = await declaredBy(entry).catch((error) => {
    problems.push(`script: importing ${basename(entry)} failed (${error.message}); fix the module`);
    return undefined;
  });
  if (declared === null) {
    problems.push(`script: ${basename(entry)} exports no Plugin subclass; export it`);
  } else if (declared) {
    if (declared.version !== manifest.version) {
      problems.push(
        `version: "${manifest.version}" but ${declared.className} declares "${declared.version}"; ` +
          "make them equal",
      );
    }
    if (declared.platform !== manifest.platform) {
      problems.push(
        `platform: "${manifest.platform}" but ${declared.className} declares ` +
          `"${declared.platform}"; make them equal`,
      );
    }
  }
  const permissions = await permissionFlags(folder);
  if (!permissions.ok) problems.push(...permissions.problems);
  if (problems.length || !permissions.ok) return fail(problems);
  return { manifest, manifestBytes, entry, flags: permissions.flags };
}

/**
 * The version and platform the entry module's Plugin subclass declares (default export
 * first), or null when it exports none. Read in a child Deno, started in the integration's
 * folder: the module resolves through its own project's import map, and whatever it does at
 * load time stays out of the build.
 */
async function declaredBy(
  entry: string,
): Promise<{ className: string; version: string; platform: string } | null> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-prompt", DESCRIBE, pathToFileURL(entry).href],
    cwd: dirname(entry),
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  if (code !== 0 || !text) {
    const reason = new TextDecoder().decode(stderr).trim().split("\n")[0];
    throw new Error(reason || `deno exited with ${code}`);
  }
  return JSON.parse(text);
}

// Run by `deno eval` with the entry's URL: prints what its Plugin subclass declares. A
// subclass is recognised by a class named Plugin up its chain, so that another copy of this
// package (a URL import) counts too.
const DESCRIBE = `
const module = await import(Deno.args[0]);
let found = null;
for (const value of [module.default, ...Object.values(module)]) {
  if (typeof value !== "function") continue;
  let p = Object.getPrototypeOf(value);
  while (p && p !== Function.prototype && p.name !== "Plugin") p = Object.getPrototypeOf(p);
  if (!p || p === Function.prototype) continue;
  const plugin = new value();
  found = { className: value.name, version: plugin.version, platform: plugin.platform };
  break;
}
console.log(JSON.stringify(found));
`;
