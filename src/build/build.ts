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
import { pack, zipName } from "./pack.ts";
import { replaceDir } from "./replace_dir.ts";
import { sandboxFlags } from "./sandbox.ts";
import { binaryName, DEFAULT_TARGETS, type Target } from "./targets.ts";

/** Options of {@linkcode build}. */
export interface BuildOptions {
  /** The integration folder (its manifest.json and entry module); the current directory by default. */
  folder?: string;
  /** Where `<name>/` and the zips go; `dist` in the current directory by default. */
  outDir?: string;
  /** The compile targets; Windows x64 and both macOS by default. */
  targets?: readonly Target[];
  /**
   * Whether to run `deno compile` and make the release; without it only `<outDir>/<name>/`
   * is written, no zip.
   * @default {true}
   */
  compile?: boolean;
  /** Where the zips will be downloaded from, for current_version.json. */
  downloadUrl?: string;
  /**
   * Ship the sources' text in the source map (`sourcesContent`).
   * @default {false}
   */
  sourcesContent?: boolean;
  /**
   * Whether to type-check the entry module first. Turn it off only where the same module was
   * just checked by other means (as the repository's test suite does, whose check task
   * covers its fixtures): the check is the gate against shipping a type error.
   * @default {true}
   */
  typeCheck?: boolean;
  /** Gets one line per step done (type check, bundle, each target, zips), with size and time. */
  onProgress?: (line: string) => void;
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
  /** The release files written into outDir: none unless every target's binary was made. */
  release: string[];
  /** Why no release was made, in one line, when none was. */
  noRelease?: string;
  /** What the author should look at, though it does not stop the build. */
  warnings: string[];
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
  const progress = options.onProgress ?? (() => {});
  const folder = resolve(options.folder ?? ".");
  const { manifest, manifestBytes, entry, flags, projectRoot, warnings } = await check(
    folder,
    progress,
    options.typeCheck ?? true,
  );
  const targets = options.targets ?? DEFAULT_TARGETS;
  const name = folderName(manifest);
  const stem = basename(entry, ".ts");
  const outDir = resolve(options.outDir ?? "dist");
  const assets = manifest.assets ?? [];
  await Deno.mkdir(outDir, { recursive: true });
  const work = await Deno.makeTempDir({ dir: outDir, prefix: `.${name}.building-` });
  try {
    const dir = join(work, name);
    await Deno.mkdir(dir);
    const final = join(outDir, name);
    let started = performance.now();
    const bundled = await bundle(folder, entry, dir, stem, {
      finalDir: final,
      projectRoot,
      sourcesContent: options.sourcesContent,
    }).catch((error) => {
      throw new BuildError([error.message], 1);
    });
    progress(`bundle: ${stem}.js ${size(bundled.shares.total)} (${since(started)})`);
    const files = ["manifest.json", manifest.script, `${stem}.js`, `${stem}.js.map`];
    for (const asset of assets) files.push(...await copyAsset(folder, dir, asset));
    await Deno.writeFile(join(dir, "manifest.json"), manifestBytes);
    await Deno.writeTextFile(
      join(dir, manifest.script),
      launcherSource({ stem, denoFlags: flags }),
    );
    const { binaries, skipped } = options.compile === false
      ? { binaries: [], skipped: undefined }
      : await compileAll(join(dir, `${stem}.js`), dir, stem, targets, flags, assets, progress);
    let noRelease: string | undefined;
    let release: { name: string; bytes: Uint8Array }[] = [];
    if (options.compile === false) noRelease = "--no-compile: no binary, so no zip";
    else if (skipped) noRelease = `${skipped}; zips and current_version.json need every binary`;
    else {
      started = performance.now();
      release = await pack({
        dir,
        name,
        version: manifest.version,
        files,
        targets,
        binaries,
        updateUrl: manifest.update_url,
        downloadUrl: options.downloadUrl,
      });
      progress(
        `zips: ${release.map((f) => `${f.name} ${size(f.bytes.length)}`).join(", ")} (${
          since(started)
        })`,
      );
    }
    for (const file of release) await Deno.writeFile(join(work, file.name), file.bytes);
    // Everything is made: move it in, replacing an earlier build.
    await replaceDir(dir, final, join(work, ".old"));
    if (noRelease) await removeStaleRelease(outDir, name, manifest.version);
    for (const file of release) await Deno.rename(join(work, file.name), join(outDir, file.name));
    const at = (p: string) => join(final, basename(p));
    return {
      manifest,
      dir: final,
      bundle: { ...bundled, path: at(bundled.path), mapPath: at(bundled.mapPath) },
      binaries: binaries.map((b) => join(final, b.file)),
      compileSkipped: skipped,
      release: release.map((file) => join(outDir, file.name)),
      noRelease,
      warnings,
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

/** A byte count for a progress line. */
function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The time since `started`, for a progress line. */
function since(started: number): string {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** Copies an asset (file or folder) into the built folder; returns the files, relative. */
async function copyAsset(folder: string, dir: string, asset: string): Promise<string[]> {
  const from = join(folder, asset);
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(from);
  } catch {
    throw new BuildError([
      `assets: ${asset} is not in ${folder}; add it or remove it from the list`,
    ], 2);
  }
  if (info.isFile) {
    await Deno.mkdir(dirname(join(dir, asset)), { recursive: true });
    await Deno.copyFile(from, join(dir, asset));
    return [asset.split("\\").join("/")];
  }
  const files: string[] = [];
  for await (const entry of Deno.readDir(from)) {
    files.push(...await copyAsset(folder, dir, `${asset}/${entry.name}`));
  }
  return files;
}

/**
 * An earlier build's zips of this version would look like this build's release: remove
 * them, and a current_version.json naming them.
 */
async function removeStaleRelease(outDir: string, name: string, version: string): Promise<void> {
  for (const os of ["windows", "macos", "linux"] as const) {
    await Deno.remove(join(outDir, zipName(name, version, os))).catch(() => {});
  }
  const current = join(outDir, "current_version.json");
  const text = await Deno.readTextFile(current).catch(() => "");
  if (text.includes(`"${name}_`)) await Deno.remove(current).catch(() => {});
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
  assets: readonly string[],
  progress: (line: string) => void,
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
      progress(`compile ${target}: skipped (${reason})`);
      continue;
    }
    if (reason.startsWith("the Deno runtime")) {
      // Offline for one target, offline for all: do not wait for each download to fail.
      skipped.push(target);
      progress(`compile ${target}: skipped (${reason})`);
      continue;
    }
    const file = binaryName(stem, target);
    const started = performance.now();
    const include = assets.map((asset) => join(dir, asset));
    const result = await compile(bundlePath, join(dir, file), target, flags, include);
    if (result.ok) {
      binaries.push({ file, target });
      const bytes = (await Deno.stat(join(dir, file))).size;
      progress(`compile ${target}: ${file} ${size(bytes)} (${since(started)})`);
    } else if (result.runtimeMissing) {
      skipped.push(target);
      reason = result.message.replace(/ for \S+ /, " ");
      progress(`compile ${target}: skipped (${reason})`);
    } else throw new BuildError([result.message], 1);
  }
  if (!skipped.length) return { binaries };
  return {
    binaries,
    skipped: `compile skipped for ${skipped.join(", ")}: ${reason}`,
  };
}

function envVar(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every check that needs no writing: the manifest, the sandbox, the type check, and what the
 * Plugin subclass declares. Throws a BuildError (exit code 2) listing the problems; returns
 * the warnings with what is needed to build.
 */
async function check(folder: string, progress: (line: string) => void, typeChecked: boolean) {
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
  const permissions = await sandboxFlags(folder, "built");
  if (!permissions.ok) return fail(permissions.problems);
  const started = performance.now();
  const typeErrors = typeChecked ? await typeCheck(entry) : null;
  if (typeErrors) {
    return fail([
      `type check: ${basename(entry)} does not type-check; fix what deno check says:`,
      ...typeErrors.map((line) => `    ${line}`),
    ]);
  }
  progress(`type check: ${basename(entry)} ${typeChecked ? `ok (${since(started)})` : "skipped"}`);
  const problems: string[] = [];
  const warnings: string[] = [];
  const declared = await declaredBy(entry).catch((error) => {
    problems.push(`script: importing ${basename(entry)} failed (${error.message}); fix the module`);
    return undefined;
  });
  if (declared === null) {
    problems.push(`script: ${basename(entry)} exports no Plugin subclass; export it`);
  } else if (declared) {
    const { className } = declared;
    if (declared.version !== manifest.version) {
      problems.push(
        `version: "${manifest.version}" but ${className} declares "${declared.version}"; ` +
          "make them equal",
      );
    }
    if (declared.platform !== manifest.platform) {
      problems.push(
        `platform: "${manifest.platform}" but ${className} declares ` +
          `"${declared.platform}"; make them equal`,
      );
    }
    const handlers = declared.base.filter(isHandler);
    if (!declared.overrides.includes("authenticate")) {
      problems.push(
        `script: ${className} does not implement authenticate(), so Galaxy would stay ` +
          '"launching" it; override authenticate',
      );
    }
    if (declared.features.length === 0) {
      problems.push(
        `script: ${className} declares no feature, so Galaxy would stay "launching" it; ` +
          "implement at least one of getOwnedGames, getLocalGames, getFriends, …",
      );
    }
    for (const method of declared.methods) {
      const near = nearest(method, handlers);
      if (near) {
        warnings.push(
          `${className}.${method} overrides no Plugin method: did you mean ${near}? ` +
            "(Galaxy never calls it as it is)",
        );
      }
    }
  }
  // A misspelt handler is often why a feature is missing: say both.
  if (problems.length) return fail([...problems, ...warnings.map((w) => `warning: ${w}`)]);
  return {
    manifest,
    manifestBytes,
    entry,
    flags: permissions.flags,
    projectRoot: permissions.config ? dirname(permissions.config) : folder,
    warnings,
  };
}

/** `deno check` of the entry, in its folder (its own config): null, or the compiler's lines. */
async function typeCheck(entry: string): Promise<string[] | null> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    // Remote modules from any host the project imports, as the bundle step allows.
    args: ["check", "--quiet", "--allow-import", entry],
    cwd: dirname(entry),
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  if (code === 0) return null;
  const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
  // Deno's own backtrace (when RUST_BACKTRACE is set) is not the author's business.
  const end = text.indexOf("Stack backtrace:");
  const message = end >= 0 ? text.slice(0, end) : text;
  const lines = message.split("\n").map((line) => line.trimEnd()).filter((line) =>
    line.trim() && !/^\s*(info|hint):/.test(line) && !/^error: Type checking failed/.test(line)
  );
  return lines.length ? lines : [`deno check exited with ${code}`];
}

/** The Plugin methods Galaxy calls (its handlers and hooks), as opposed to its push methods. */
function isHandler(name: string): boolean {
  return /^(authenticate|passLoginCredentials|handshakeComplete|tick|shutdown|get[A-Z]\w*|prepare\w+Context|\w+ImportComplete|(launch|install|uninstall|shutdown)[A-Z]\w*)$/
    .test(name);
}

/** The handler name `name` is a near miss of (edit distance 1 or 2, or case), if any. */
function nearest(name: string, handlers: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const handler of handlers) {
    const d = handler.toLowerCase() === name.toLowerCase() ? 0.5 : distance(name, handler);
    if (d < bestDistance) [best, bestDistance] = [handler, d];
  }
  return best;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

/** What the entry module's Plugin subclass declares. */
interface Declared {
  className: string;
  version: string;
  platform: string;
  /** The features it declares, as Galaxy is told. */
  features: string[];
  /** The Plugin methods it overrides. */
  overrides: string[];
  /** Its other methods, public ones only. */
  methods: string[];
  /** Every method of the Plugin base class. */
  base: string[];
}

/**
 * What the entry module's Plugin subclass declares (default export first), or null when it
 * exports none. Read in a child Deno, started in the integration's folder: the module
 * resolves through its own project's import map, and whatever it does at load time stays
 * out of the build.
 */
async function declaredBy(entry: string): Promise<Declared | null> {
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
  const methods = (proto) => Object.entries(Object.getOwnPropertyDescriptors(proto))
    .filter(([name, d]) => name !== "constructor" && typeof d.value === "function")
    .map(([name]) => name);
  const base = methods(p.prototype);
  const own = [];
  for (let q = value.prototype; q && q !== p.prototype; q = Object.getPrototypeOf(q)) {
    own.push(...methods(q));
  }
  found = {
    className: value.name,
    version: plugin.version,
    platform: plugin.platform,
    features: [...plugin.features],
    overrides: own.filter((name) => base.includes(name)),
    methods: own.filter((name) => !base.includes(name) && !name.startsWith("_")),
    base,
  };
  break;
}
console.log(JSON.stringify(found));
`;
