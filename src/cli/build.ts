/**
 * `galaxy build [folder]`: builds an integration folder into `dist/<name>/` plus release zips.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { relative } from "node:path";
import { build, BuildError, parseTargets, type Target } from "../build/mod.ts";
import type { Command } from "./main.ts";

const HELP = `usage: galaxy build [folder] [options]

Builds the integration in folder (default: the current directory; it holds manifest.json and
the entry module, the manifest's script with .py → .ts) into <out>/<name>/, ready to drop into
Galaxy's installed-plugins folder, and <out>/<name>_<version>_<os>.zip per OS.

It type-checks the entry module first and refuses an integration Galaxy could not start (no
authenticate, no feature). A release (the zips and current_version.json) is made only when
every target's binary was compiled; otherwise <out>/<name>/ is still written, for trying it
locally, and the exit code is 1.

options:
  --out <dir>           where to build (default: dist)
  --target <targets>    windows, macos, linux, all, host, or target triples, comma-separated
                        (default: windows,macos)
  --no-compile          bundle only: no deno compile, no zip (exit 0)
  --download-url <url>  where the zips will be downloaded from, for current_version.json
                        (default: the folder of the manifest's update_url)
  --sources-content     ship the sources' text in the source map (default: paths only)
  -h, --help            this help

Exit code: 0 when built (and released, unless --no-compile); 1 when no release could be made
or the build failed; 2 when the integration must be fixed (manifest, types, declarations).`;

// For this repository's test suite only, whose check task has type-checked what its builds
// build: the gate's own tests leave it unset. Not an author's option.
function skipTypeCheck(): boolean {
  try {
    return Deno.env.get("GALAXY_BUILD_SKIP_TYPE_CHECK") === "1";
  } catch {
    return false;
  }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The `build` command. */
export const command: Command = {
  summary: "build an integration: bundle, binaries, launcher, release zips",
  async run(args: string[]): Promise<number> {
    const parsed = parseCommandArgs("build", args, {
      out: { type: "string" },
      target: { type: "string", multiple: true },
      "no-compile": { type: "boolean" },
      "download-url": { type: "string" },
      "sources-content": { type: "boolean" },
    }, HELP);
    if (typeof parsed === "number") return parsed;
    const { values, positionals } = parsed;
    if (positionals.length > 1) {
      console.error("galaxy build: give one integration folder; see galaxy build --help");
      return 2;
    }
    let targets: Target[] | undefined;
    try {
      if (values.target) targets = parseTargets(values.target);
    } catch (error) {
      console.error(`galaxy build: --target: ${(error as Error).message}`);
      return 2;
    }
    try {
      const result = await build({
        folder: positionals[0],
        outDir: values.out,
        targets,
        compile: !values["no-compile"],
        downloadUrl: values["download-url"],
        sourcesContent: values["sources-content"],
        typeCheck: !skipTypeCheck(),
        onProgress: (line) => console.log(`  ${line}`),
      });
      const show = (path: string) => relative(Deno.cwd(), path) || ".";
      const { shares } = result.bundle;
      const m = result.manifest;
      for (const warning of result.warnings) console.error(`galaxy build: warning: ${warning}`);
      console.log(`built ${show(result.dir)}/ (${m.platform} ${m.version})`);
      console.log(
        `  bundle ${show(result.bundle.path)}: ${kb(shares.total)} (runtime ${
          kb(shares.runtime)
        }, ` +
          `dependencies ${kb(shares.dependencies)}, integration ${kb(shares.integration)}), ` +
          `source map beside it`,
      );
      for (const binary of result.binaries) console.log(`  binary ${show(binary)}`);
      for (const file of result.release) console.log(`  release ${show(file)}`);
      if (result.noRelease) {
        const compiled = !values["no-compile"];
        (compiled ? console.error : console.log)(
          `${compiled ? "galaxy build: " : ""}NO RELEASE MADE: ${result.noRelease}; ` +
            `${show(result.dir)}/ is for trying it locally only`,
        );
        return compiled ? 1 : 0;
      }
      return 0;
    } catch (error) {
      if (error instanceof BuildError) {
        for (const problem of error.problems) {
          // A problem's own detail lines (the compiler's) follow it, indented.
          console.error(/^\s/.test(problem) ? problem : `galaxy build: ${problem}`);
        }
        return error.exitCode;
      }
      console.error(`galaxy build: ${(error as Error).message}`);
      return 1;
    }
  },
};
