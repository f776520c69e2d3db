/**
 * `galaxy test [-- deno test arguments]`: an integration project's tests inside the sandbox
 * its built binary gets, so that what passes here is allowed in Galaxy too.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { sandboxFlags } from "../build/mod.ts";
import type { Command } from "./main.ts";

const HELP = `usage: galaxy test [options] [-- deno test arguments]

Runs deno test in the current directory (an integration project) with exactly the
permissions its built binary gets: net to 127.0.0.1 plus the permissions.integration set of
the nearest deno.json, and read access to the manifest's assets. A test that needs more than
the integration may have fails here as the integration would fail in Galaxy.

options:
  --allow-all   run the tests with every permission (deno test -A): the sandbox off
  -h, --help    this help`;

/** The `test` command. */
export const command: Command = {
  summary: "run an integration project's tests inside the sandbox its binary gets",
  async run(args: string[]): Promise<number> {
    const split = args.indexOf("--");
    const own = split >= 0 ? args.slice(0, split) : args;
    const rest = split >= 0 ? args.slice(split + 1) : [];
    const parsed = parseCommandArgs("test", own, { "allow-all": { type: "boolean" } }, HELP);
    if (typeof parsed === "number") return parsed;
    if (parsed.positionals.length) {
      console.error("galaxy test: give deno test's arguments after --; see galaxy test --help");
      return 2;
    }
    let flags = ["-A"];
    if (parsed.values["allow-all"]) {
      console.error("galaxy test: --allow-all: every permission granted, unlike in Galaxy");
    } else {
      const sandbox = await sandboxFlags(".", "source");
      if (!sandbox.ok) {
        for (const problem of sandbox.problems) console.error(`galaxy test: ${problem}`);
        return 2;
      }
      flags = ["--no-prompt", ...sandbox.flags];
    }
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["test", ...flags, ...rest],
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    return code;
  },
};
