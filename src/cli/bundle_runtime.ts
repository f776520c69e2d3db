/**
 * `galaxy bundle-runtime [--out dir]`: the single-file runtime bundle, one ES module and one
 * declaration file per public entry point.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { relative } from "node:path";
import { bundleRuntime } from "../build/mod.ts";
import { seconds } from "../log/mod.ts";
import type { Command } from "./main.ts";

const HELP = `usage: galaxy bundle-runtime [--out <dir>]

Writes <dir>/mod.js, http.js, local.js and testing.js, each one ES module with no imports
left (valibot inlined), each with its declarations beside it (<entry>.d.ts, named in the
module by @ts-self-types, re-exporting from the shared runtime.d.ts). Import them by path or
URL, with no import map:

  import { Plugin, runPlugin } from "<dir>/mod.js";

Every entry file of one version shares one copy of the runtime per process. Needs a local
checkout of the runtime; the declarations are made with the npm packages typescript and
dts-bundle-generator.

options:
  --out <dir>   where to write (default: dist/runtime)
  -h, --help    this help`;

/** The `bundle-runtime` command. */
export const command: Command = {
  summary: "write the single-file runtime bundle (one ES module per entry point)",
  async run(args: string[]): Promise<number> {
    const parsed = parseCommandArgs("bundle-runtime", args, { out: { type: "string" } }, HELP);
    if (typeof parsed === "number") return parsed;
    if (parsed.positionals.length) {
      console.error("galaxy bundle-runtime: takes no folder; use --out; see --help");
      return 2;
    }
    const started = performance.now();
    try {
      const show = (path: string) => relative(Deno.cwd(), path);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      const { files, declarations } = await bundleRuntime(parsed.values.out ?? "dist/runtime");
      for (const file of files) {
        console.log(
          `  ${show(file.js)} ${kb(file.jsBytes)}, ${show(file.dts)} ${kb(file.dtsBytes)}`,
        );
      }
      console.log(`  ${show(declarations.path)} ${kb(declarations.bytes)} (shared declarations)`);
      console.log(`runtime bundle written (${seconds(performance.now() - started)})`);
      return 0;
    } catch (error) {
      console.error(`galaxy bundle-runtime: ${(error as Error).message}`);
      return 1;
    }
  },
};
