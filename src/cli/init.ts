/**
 * `galaxy init <dir>`: create a new integration project that tests, simulates and builds
 * with no edits.
 *
 * The new project reaches this package through its import map, pointed at where this
 * module was loaded from: a `file:` URL for a local checkout, an `https:` URL when the CLI
 * itself was run from one. No registry is needed.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { Platform } from "../protocol/mod.ts";
import config from "../../deno.json" with { type: "json" };
import type { Command } from "./main.ts";

const USAGE = `usage: galaxy init <dir> [options]

Creates a new integration project in <dir>: manifest.json (fresh guid), plugin.ts (login
and owned games), plugin_test.ts, deno.json with the tasks dev, sim, test, build and pack,
and a README. Then: cd <dir> && deno task test && deno task sim

options:
  --platform <id>   the platform id (default generic), e.g. steam, epic, humble
  --name <name>     the display name (default: from <dir>)
  --force           write into <dir> even if it is not empty
  -h, --help        this help`;

/** The package root this CLI was loaded from; the new project imports the package there. */
const PACKAGE_ROOT = new URL("../../", import.meta.url);
const TEMPLATE = new URL("./init/template/", import.meta.url);
const PACKAGE = config.name;

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
  return { displayName: name ?? title, className: `${className}Plugin`, platform };
}

/**
 * The import map of a new project: this package's exports at `root`, plus the
 * dependencies this package resolves through its own import map (a bare specifier in our
 * files is resolved by the importing project's map).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importMap } from "./init.ts";
 * const map = importMap(new URL("file:///opt/galaxy-ts/"));
 * assert(map["@galaxy-ts/runtime"] === "file:///opt/galaxy-ts/mod.ts");
 * assert(map["@galaxy-ts/runtime/testing"] === "file:///opt/galaxy-ts/src/testing/mod.ts");
 * ```
 */
export function importMap(root: URL): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [subpath, path] of Object.entries(exportsOf())) {
    map[subpath === "." ? PACKAGE : `${PACKAGE}/${subpath.slice(2)}`] = new URL(path, root).href;
  }
  return { ...map, ...config.imports };
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

/** The files of a new project, by relative path. */
export async function projectFiles(names: Names, root: URL = PACKAGE_ROOT): Promise<
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
  if (!values.force && !await isEmptyOrMissing(dir)) {
    console.error(`galaxy init: ${dir} is not empty; choose another folder, or pass --force`);
    return 1;
  }
  const files = await projectFiles(namesFor(dir, values.name, platform));
  for (const [path, text] of Object.entries(files)) {
    const target = `${dir}/${path}`;
    await Deno.mkdir(target.replace(/\/[^/]*$/, ""), { recursive: true });
    await Deno.writeTextFile(target, text);
  }
  console.log(`created ${dir}/ (${Object.keys(files).join(", ")})`);
  console.log(`next: cd ${dir} && deno task test && deno task sim`);
  return 0;
}

/** The `init` command. */
export const command: Command = {
  summary: "create a new integration project",
  run,
};
