/**
 * The bundle: the integration and the runtime as one minified JavaScript file with no
 * imports left, and its source map beside it.
 *
 * `deno bundle` makes it. It runs esbuild, like the npm package would, but resolves every
 * specifier exactly as `deno run` does (the import map, `npm:`, `jsr:`, `node:`), so what the
 * author ran is what gets bundled; esbuild alone would need a Deno resolver plugin, and the one
 * everybody uses lives on JSR. The sizes per source come from the source map (what esbuild's
 * metafile calls bytes in output).
 *
 * @module
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** Where the bytes of a bundle come from. */
export interface BundleShares {
  /** The whole bundle, bytes. */
  total: number;
  /** Code from this package's `src/` (the runtime). */
  runtime: number;
  /** Code from npm packages (valibot…). */
  dependencies: number;
  /** The integration's own code and anything else. */
  integration: number;
}

/** What {@linkcode bundle} wrote. */
export interface Bundle {
  /** The bundle's path. */
  path: string;
  /** Its source map's path. */
  mapPath: string;
  /** Where its bytes come from. */
  shares: BundleShares;
}

/** Where the source map's paths point: see {@linkcode relocateSources}. */
export interface SourceMapOptions {
  /** The folder the bundle will finally sit in (the map's paths are relative to it). */
  finalDir: string;
  /** The author's project root: its files are named by relative paths that resolve. */
  projectRoot: string;
  /**
   * Ship the sources' text in the map (`sourcesContent`), so that a debugger shows them
   * without the project at hand.
   * @default {false}
   */
  sourcesContent?: boolean;
}

/**
 * Bundles `entry` (a module inside `folder`, resolved with the Deno config found from
 * `folder`) into `outDir/<stem>.js` with a linked source map. Throws with esbuild's message
 * when bundling fails. With `map`, the map's paths are rewritten by
 * {@linkcode relocateSources}; without it they stay relative to `outDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bundle } from "./bundle.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hello.ts`, 'const who: string = "world";\nconsole.log(who);\n');
 * const { path, shares } = await bundle(dir, `${dir}/hello.ts`, dir, "hello");
 * assert(path.endsWith("hello.js") && shares.integration > 0);
 * ```
 */
export async function bundle(
  folder: string,
  entry: string,
  outDir: string,
  stem: string,
  map?: SourceMapOptions,
): Promise<Bundle> {
  const path = join(outDir, `${stem}.js`);
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      // Remote modules from any host the project imports (Deno's default list lacks most).
      "--allow-import",
      "--platform=deno",
      "--format=esm",
      "--minify",
      // Class names are behaviour: a Galaxy error's type is its class name.
      "--keep-names",
      "--sourcemap=linked",
      "--output",
      path,
      entry,
    ],
    cwd: folder,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    const message = new TextDecoder().decode(stderr).trim().split("\n").slice(0, 6).join("; ");
    throw new Error(`bundling ${entry} failed: ${message}`);
  }
  const mapPath = `${path}.map`;
  const code = await Deno.readTextFile(path);
  const sourceMap = JSON.parse(await Deno.readTextFile(mapPath));
  const shares = bundleShares(code, sourceMap, pathToFileURL(mapPath).href);
  if (map) {
    sourceMap.sources = relocateSources(sourceMap.sources, outDir, map);
    if (!map.sourcesContent) delete sourceMap.sourcesContent;
    delete sourceMap.sourceRoot;
    await Deno.writeTextFile(mapPath, JSON.stringify(sourceMap));
  }
  return { path, mapPath, shares };
}

const RUNTIME_PACKAGE = "@galaxy-ts/runtime";

/**
 * Names every source of a map without anything of the build machine: a file of the
 * project by its path relative to `finalDir` (it resolves to the real file when the bundle
 * sits in the project's dist folder), this package's files as `@galaxy-ts/runtime/<path>`,
 * npm packages as `npm:<name>@<version>/<path>` (never the npm cache), http(s) URLs as they
 * are, anything else by its file name under `external/`.
 *
 * @param sources The map's sources, relative to `mapDir` (as `deno bundle` writes them).
 * @param mapDir Where the map was written.
 * @param options Where it will be, and the project's root.
 * @returns The sources, renamed, in the same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relocateSources } from "./bundle.ts";
 * const names = relocateSources(
 *   ["../../../plugin.ts", "../../../../cache/npm/registry.npmjs.org/valibot/1.5.0/dist/a.js"],
 *   "/tmp/proj/dist/.work/x",
 *   { finalDir: "/tmp/proj/dist/x", projectRoot: "/tmp/proj" },
 * );
 * assert.deepEqual(names, ["../../plugin.ts", "npm:valibot@1.5.0/dist/a.js"]);
 * ```
 */
export function relocateSources(
  sources: readonly string[],
  mapDir: string,
  options: SourceMapOptions,
): string[] {
  // The package root, one above src/: mod.ts sits there.
  const runtime = RUNTIME.startsWith("file:") ? resolve(fileURLToPath(RUNTIME), "..") : undefined;
  const inside = (root: string, path: string) => {
    const rel = relative(root, path);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  };
  const posix = (path: string) => path.split(sep).join("/");
  const distInProject = inside(options.projectRoot, options.finalDir);
  return sources.map((source) => {
    if (/^https?:/.test(source)) return source;
    const path = source.startsWith("file:") ? fileURLToPath(source) : resolve(mapDir, source);
    const npm = /[\\/]npm[\\/][^\\/]+[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]([^\\/]+)[\\/](.*)$/
      .exec(path);
    if (npm) return `npm:${posix(npm[1])}@${npm[2]}/${posix(npm[3])}`;
    if (inside(options.projectRoot, path)) {
      return distInProject
        ? posix(relative(options.finalDir, path))
        : posix(relative(options.projectRoot, path));
    }
    if (runtime && inside(runtime, path)) {
      return `${RUNTIME_PACKAGE}/${posix(relative(runtime, path))}`;
    }
    return `external/${posix(path).split("/").pop()}`;
  });
}

// A URL, not a path: this package may run from a file: or an https: URL.
const RUNTIME = new URL("../", import.meta.url).href;

/** A source map, as much of it as the shares need. */
export interface SourceMap {
  /** Source paths, relative to the map. */
  sources: string[];
  /** Base64 VLQ mappings. */
  mappings: string;
}

/**
 * Attributes every byte of `code` to the source its mapping segment comes from, and sums
 * them by origin: this package's `src/`, npm packages, or the integration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bundleShares } from "./bundle.ts";
 * const shares = bundleShares("ab", { sources: ["x.ts"], mappings: "AAAA" }, "file:///tmp/x.js.map");
 * assert(shares.integration === 2 && shares.total === 2);
 * ```
 */
export function bundleShares(code: string, map: SourceMap, mapUrl: string): BundleShares {
  const origin = map.sources.map((source) => {
    let url = source;
    try {
      url = new URL(source, mapUrl).href;
    } catch {
      // Keep it as written.
    }
    if (/[\\/](node_modules|npm)[\\/]/.test(url) || url.startsWith("npm:")) return "dependencies";
    return url.startsWith(RUNTIME) ? "runtime" : "integration";
  });
  const shares: BundleShares = { total: 0, runtime: 0, dependencies: 0, integration: 0 };
  const lines = code.split("\n");
  const mapped = map.mappings.split(";");
  const encoder = new TextEncoder();
  let sourceIndex = 0;
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l];
    const segments = decodeLine(mapped[l] ?? "");
    let column = 0;
    let owner: string | undefined;
    for (const segment of segments) {
      if (owner) {
        shares[owner as keyof BundleShares] +=
          encoder.encode(line.slice(column, segment[0])).length;
      }
      column = segment[0];
      if (segment.length > 1) sourceIndex += segment[1];
      owner = segment.length > 1 ? origin[sourceIndex] : undefined;
    }
    if (owner) shares[owner as keyof BundleShares] += encoder.encode(line.slice(column)).length;
  }
  shares.total = encoder.encode(code).length;
  return shares;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes one generated line: absolute column, then the relative source index if any. */
function decodeLine(text: string): number[][] {
  const segments: number[][] = [];
  let column = 0;
  for (const part of text.split(",")) {
    if (!part) continue;
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    for (const char of part) {
      const digit = BASE64.indexOf(char);
      value += (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
      } else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    column += values[0];
    segments.push(values.length > 1 ? [column, values[1]] : [column]);
  }
  return segments;
}
