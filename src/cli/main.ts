/**
 * The `galaxy` command: `deno run -A <base>/src/cli/main.ts <command> [options]`, where
 * `<base>` is this package's root as a URL or a path (`jsr:@galaxy-ts/runtime/cli` from
 * JSR), or in this repository `deno task galaxy <command>`.
 *
 * Paths on the command line are the caller's: `deno task` runs in the folder of
 * `deno.json`, so this repository's tasks pass the caller's folder (Deno's `INIT_CWD`) as
 * `GALAXY_CWD`, and the CLI starts there.
 *
 * @module
 */

/**
 * A subcommand: parses its own arguments, returns the process exit code.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Command } from "@galaxy-ts/runtime/cli";
 * const hello: Command = {
 *   summary: "say hello",
 *   run: (args) => Promise.resolve(args.length === 0 ? 0 : 2),
 * };
 * assert(await hello.run([]) === 0);
 * ```
 */
export interface Command {
  /** One line for the command list. */
  readonly summary: string;
  /** Runs the command with the arguments after its name. */
  run(args: string[]): Promise<number>;
}

/**
 * The commands, by name; each lives in its own module (exporting `command`) and is loaded
 * only when used, so that `galaxy sim` never loads the build. Add one line per command.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  build: {
    summary: "build an integration: bundle, binaries, launcher, release zips",
    load: () => import("./build.ts").then((m) => m.command),
  },
  sim: {
    summary: "run an integration against a simulated Galaxy",
    load: () => import("./sim.ts").then((m) => m.command),
  },
  init: {
    summary: "create a new integration project",
    load: () => import("./init.ts").then((m) => m.command),
  },
  "bundle-runtime": {
    summary: "write the single-file runtime bundle",
    load: () => import("./bundle_runtime.ts").then((m) => m.command),
  },
  test: {
    summary: "run a project's tests inside the sandbox its binary gets",
    load: () => import("./test.ts").then((m) => m.command),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)} ${c.summary}`);
  return `usage: galaxy <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    "Run `galaxy <command> --help` for a command's options.";
}

/**
 * Runs the CLI with `args` and returns the exit code.
 *
 * @param args The command line after `galaxy`: the command's name, then its arguments.
 * @returns The process's exit code: 0 when all went well, 2 for wrong usage.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * // As a user runs it; the command list goes to the child's stdout, not the test's.
 * const cli = new URL("./main.ts", import.meta.url);
 * const help = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", cli.href, "--help"] })
 *   .output();
 * assert(help.code === 0);
 * assert(new TextDecoder().decode(help.stdout).includes("init "));
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(
      `galaxy: unknown command "${name}"; the commands are: ${Object.keys(COMMANDS).join(", ")}`,
    );
    return 2;
  }
  const command = await entry.load();
  return await command.run(rest);
}

if (import.meta.main) {
  const cwd = Deno.env.get("GALAXY_CWD");
  if (cwd) Deno.chdir(cwd);
  Deno.exit(await main(Deno.args));
}
