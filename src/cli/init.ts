/**
 * `galaxy init <dir>`: create a new integration project that tests, simulates and builds
 * with no edits.
 *
 * The new project reaches this package through its import map, at a place that means the
 * same on every machine (`--from`): the JSR package at this version, a URL (a tagged one
 * pins the version), or a local checkout written as a path relative to the project, so
 * that moving both folders together keeps it working. Never an absolute path.
 *
 * @module
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseCommandArgs } from "./args.ts";
import { Platform } from "../protocol/mod.ts";
import config from "../../deno.json" with { type: "json" };
import type { Command } from "./main.ts";

const USAGE = `usage: galaxy init <dir> [options]

Creates a new integration project in <dir>: manifest.json (fresh guid), plugin.ts (login
and owned games), plugin_test.ts, deno.json with the tasks dev, sim, test, build and pack,
and a README. Then: cd <dir> && deno task test && deno task sim

options:
  --from <where>    where the project takes the runtime from:
                      jsr          the JSR package, ${config.name}@^${config.version}
                      <url>        a URL of the package's root (a tag pins the version)
                      <path>       a local checkout, written relative to the project
                    default: the URL this CLI runs from, else jsr
  --platform <id>   the platform id (default generic), e.g. steam, epic, humble
  --name <name>     the display name (default: from <dir>)
  --force           write into <dir> even if it is not empty
  -h, --help        this help`;

/** The package root this CLI was loaded from. */
const PACKAGE_ROOT = new URL("../../", import.meta.url);
const TEMPLATE = new URL("./init/template/", import.meta.url);
const PACKAGE = config.name;
/** This package on JSR, at a range that takes fixes but no breaking change. */
const JSR = `jsr:${PACKAGE}@^${config.version}`;

/** What the template's names become. */
interface Names {
  /** The display name, e.g. "My Integration". */
  displayName: string;
  /** The Plugin subclass, e.g. "MyIntegrationPlugin". */
  className: string;
  /** The platform id, e.g. "generic". */
  platform: string;
}

/**
 * The names of a new project from its folder name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { namesFor } from "./init.ts";
 * const names = namesFor("my-integration", undefined, "generic");
 * assert(names.className === "MyIntegrationPlugin");
 * assert(names.displayName === "My Integration");
 * ```
 */
export function namesFor(dir: string, name: string | undefined, platform: string): Names {
  const base = dir.replace(/[\\/]+$/, "").split(/[\\/]/).pop() || "integration";
  const words = (name ?? base).split(/[^A-Za-z0-9]+/).filter(Boolean);
  const title = words.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
  let className = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("") || "My";
  if (/^[0-9]/.test(className)) className = `P${className}`;
  return { displayName: name ?? (title || base), className: `${className}Plugin`, platform };
}

/**
 * Where a new project in `project` (an absolute path) takes the runtime from, as the
 * base its import map is written from: a `jsr:` specifier, a URL ending in `/`, or a
 * path relative to the project ending in `/`. `from` is `--from` as typed: `jsr`, a
 * `jsr:` specifier, a URL, or a path resolved against `cwd`; without it, the URL this
 * module was loaded from (`here`) when that is remote, else JSR.
 *
 * @param from `--from` as typed, if given.
 * @param project The new project's folder, absolute.
 * @param cwd The caller's directory, which a relative `from` starts at.
 * @param here The package root this CLI runs from.
 * @returns The base of every import map entry.
 * @throws {Error} When `from` is a path without this package's `mod.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runtimeBase } from "./init.ts";
 * const here = new URL("file:///work/galaxy-ts/");
 * assert(runtimeBase("jsr", "/work/p", "/work", here).startsWith("jsr:@galaxy-ts/runtime@^"));
 * const tag = "https://raw.example/galaxy-ts/v0.1.0";
 * assert(runtimeBase(tag, "/work/p", "/work", here) === `${tag}/`);
 * assert(runtimeBase(undefined, "/p", "/", new URL(`${tag}/`)) === `${tag}/`);
 * const fromJsr = new URL("https://jsr.io/@galaxy-ts/runtime/0.1.0/");
 * assert(runtimeBase(undefined, "/p", "/", fromJsr).startsWith("jsr:"));
 * ```
 */
export function runtimeBase(
  from: string | undefined,
  project: string,
  cwd: string,
  here: URL = PACKAGE_ROOT,
): string {
  if (from === undefined) {
    const remote = (here.protocol === "https:" || here.protocol === "http:") &&
      here.hostname !== "jsr.io";
    return remote ? here.href : JSR;
  }
  if (from === "jsr") return JSR;
  if (from.startsWith("jsr:")) return from;
  if (/^https?:\/\//.test(from)) return from.endsWith("/") ? from : `${from}/`;
  const root = from.startsWith("file:") ? fileURLToPath(from) : resolve(cwd, from);
  try {
    Deno.statSync(resolve(root, "mod.ts"));
  } catch {
    throw new Error(
      `--from ${from}: no mod.ts in ${root}; give the folder of a galaxy-ts checkout, a URL, or jsr`,
    );
  }
  const path = relative(project, root).split(sep).join("/");
  // Only another drive (Windows) has no relative path.
  if (isAbsolute(path)) return pathToFileURL(`${root}${sep}`).href;
  if (path === "") return "./";
  return path === ".." || path.startsWith("../") ? `${path}/` : `./${path}/`;
}

/**
 * The import map of a new project: this package's exports at `root` (from
 * {@linkcode runtimeBase}), and `valibot` at the version the runtime uses, for the
 * author's own schemas (our modules name it in full and need no mapping).
 *
 * @param root A `jsr:` specifier, or a URL or relative path ending in `/`.
 * @returns The `imports` of the project's `deno.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importMap } from "./init.ts";
 * const local = importMap("../galaxy-ts/");
 * assert(local["@galaxy-ts/runtime"] === "../galaxy-ts/mod.ts");
 * assert(local["@galaxy-ts/runtime/testing"] === "../galaxy-ts/src/testing/mod.ts");
 * const jsr = importMap("jsr:@galaxy-ts/runtime@^0.1.0");
 * assert(jsr["@galaxy-ts/runtime/cli"] === "jsr:@galaxy-ts/runtime@^0.1.0/cli");
 * ```
 */
export function importMap(root: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [subpath, path] of Object.entries(exportsOf())) {
    const name = subpath === "." ? PACKAGE : `${PACKAGE}/${subpath.slice(2)}`;
    map[name] = root.startsWith("jsr:")
      ? `${root}${subpath.slice(1)}`
      : `${root}${path.replace(/^\.\//, "")}`;
  }
  return { ...map, valibot: config.imports.valibot };
}

function exportsOf(): Record<string, string> {
  return config.exports;
}

/** Rewrites the template's relative imports of this package to the package's name. */
function rewriteImports(source: string): string {
  let out = source;
  for (const [subpath, path] of Object.entries(exportsOf())) {
    const file = path.replace(/^\.\//, "");
    const specifier = subpath === "." ? PACKAGE : `${PACKAGE}/${subpath.slice(2)}`;
    const relative = new RegExp(`"(?:\\.\\./|\\./)+${file.replace(/[.]/g, "\\.")}"`, "g");
    out = out.replace(relative, JSON.stringify(specifier));
    // From inside the template folder, src/testing/mod.ts is reached as ../../../testing/mod.ts.
    const inSrc = file.replace(/^src\//, "");
    if (inSrc !== file) {
      out = out.replace(
        new RegExp(`"(?:\\.\\./)+${inSrc.replace(/[.]/g, "\\.")}"`, "g"),
        JSON.stringify(specifier),
      );
    }
  }
  return out;
}

function platformKey(id: string): string {
  return Object.entries(Platform).find(([, value]) => value === id)![0];
}

function fill(source: string, names: Names): string {
  return rewriteImports(source)
    // Inside a string literal the name is escaped; elsewhere (comments, Markdown) it is text.
    .replace(
      /"([^"\n]*)TemplateDisplayName([^"\n]*)"/g,
      (_, before, after) => JSON.stringify(`${before}${names.displayName}${after}`),
    )
    .replaceAll("TemplateDisplayName", names.displayName)
    .replaceAll("TemplatePlugin", names.className)
    .replaceAll("Platform.Generic", `Platform.${platformKey(names.platform)}`);
}

async function readTemplate(path: string): Promise<string> {
  const url = new URL(path, TEMPLATE);
  if (url.protocol === "file:") return await Deno.readTextFile(url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: ${response.status}`);
  return await response.text();
}

/** The files of a new project, by relative path, with the runtime at `root` ({@linkcode importMap}). */
export async function projectFiles(names: Names, root: string = JSR): Promise<
  Record<string, string>
> {
  const cli = `deno run -A ${PACKAGE}/cli`;
  const denoJson = {
    tasks: {
      dev: `${cli} sim`,
      sim: `${cli} sim --import owned --login sim/login.json`,
      // The integration's wire log at info level would drown the test report; warnings
      // and errors still show.
      test: `GALAXY_LOG_LEVEL=warning ${cli} test`,
      build: `${cli} build --no-compile`,
      pack: `${cli} build`,
    },
    imports: importMap(root),
    // The sandbox of the built binary, and so of dev, sim and test: what the integration
    // may do besides talking to Galaxy on 127.0.0.1.
    permissions: { integration: { net: ["example.com"], env: ["GALAXY_LOG_LEVEL"] } },
    fmt: { lineWidth: 100 },
  };
  const manifest = {
    name: names.displayName,
    platform: names.platform,
    guid: crypto.randomUUID(),
    version: "0.1.0",
    description: `${names.displayName}: a GOG Galaxy 2.0 integration`,
    author: "Your Name",
    email: "you@example.com",
    url: "https://example.com/",
    script: "plugin.py",
  };
  return {
    "deno.json": JSON.stringify(denoJson, null, 2) + "\n",
    "manifest.json": JSON.stringify(manifest, null, 2) + "\n",
    "plugin.ts": fill(await readTemplate("plugin.ts"), names),
    "plugin_test.ts": fill(await readTemplate("plugin_test.ts"), names),
    "README.md": fill(await readTemplate("README.md"), names),
    "sim/login.json": await readTemplate("sim/login.json"),
    ".gitignore": await readTemplate("gitignore"),
  };
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) return false;
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}

async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs("init", args, {
    from: { type: "string" },
    platform: { type: "string" },
    name: { type: "string" },
    force: { type: "boolean" },
  }, USAGE);
  if (typeof parsed === "number") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    console.error("galaxy init: give the new project's folder, e.g. galaxy init my-integration");
    return 2;
  }
  const dir = positionals[0];
  const platform = values.platform ?? Platform.Generic;
  const platforms: string[] = Object.values(Platform);
  if (!platforms.includes(platform)) {
    const near = platforms.filter((p) => p.startsWith(platform.slice(0, 2).toLowerCase()));
    console.error(
      `galaxy init: --platform ${platform} is not a platform id Galaxy knows${
        near.length ? `; did you mean ${near.join(", ")}?` : ""
      } (the ids: ${platforms.join(", ")})`,
    );
    return 2;
  }
  if (values.name !== undefined && values.name.trim() === "") {
    console.error("galaxy init: --name is empty; give the integration's display name");
    return 2;
  }
  // deno-lint-ignore no-control-regex
  if (values.name !== undefined && /[\x00-\x1f\x7f]/.test(values.name)) {
    console.error("galaxy init: --name holds a control character; give it on one line");
    return 2;
  }
  if (!values.force && !await isEmptyOrMissing(dir)) {
    console.error(`galaxy init: ${dir} is not empty; choose another folder, or pass --force`);
    return 1;
  }
  let root: string;
  try {
    root = runtimeBase(values.from, resolve(dir), Deno.cwd());
  } catch (error) {
    console.error(`galaxy init: ${(error as Error).message}`);
    return 2;
  }
  const files = await projectFiles(namesFor(dir, values.name, platform), root);
  for (const [path, text] of Object.entries(files)) {
    const target = `${dir}/${path}`;
    await Deno.mkdir(target.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(target, text);
  }
  await format(dir, Object.keys(files));
  console.log(`created ${dir}/ (${Object.keys(files).join(", ")})`);
  console.log(`runtime: ${root.startsWith("jsr:") ? root : importMap(root)[PACKAGE]}`);
  if (values.from === undefined && PACKAGE_ROOT.protocol === "file:") {
    console.log(
      `(to use this checkout instead: --from ${
        relative(Deno.cwd(), fileURLToPath(PACKAGE_ROOT)) || "."
      })`,
    );
  }
  console.log(`next: cd ${dir} && deno task test && deno task sim`);
  return 0;
}

/**
 * Formats the new files as `deno fmt` would in the project: names of any length and order
 * (the sorted import of the plugin class and LOGIN) come out as the project's own check
 * wants them.
 */
async function format(dir: string, files: string[]): Promise<void> {
  const { success, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", ...files.filter((f) => /\.(ts|json|md)$/.test(f))],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!success) {
    console.error(
      `galaxy init: deno fmt failed on the new files: ${new TextDecoder().decode(stderr)}`,
    );
  }
}

/** The `init` command. */
export const command: Command = {
  summary: "create a new integration project",
  run,
};
