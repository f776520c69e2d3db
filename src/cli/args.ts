/**
 * Argument parsing shared by the commands: the same usage errors, the same `--help`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;
const HELP = { help: { type: "boolean", short: "h" } } as const;

/** What `parseArgs` gives for these options, `--help` included. */
export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O & typeof HELP; allowPositionals: true; strict: true }>
>;

/**
 * Parses a command's arguments. Returns the parsed values, or the exit code to return at
 * once: 0 after printing `usage` for `--help`, 2 after a one-line error for bad arguments.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandArgs } from "./args.ts";
 * const parsed = parseCommandArgs("demo", ["--out", "dist", "x"], { out: { type: "string" } }, "usage");
 * assert(typeof parsed !== "number" && parsed.values.out === "dist");
 * ```
 */
export function parseCommandArgs<const O extends Options>(
  command: string,
  args: string[],
  options: O,
  usage: string,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, ...HELP },
      allowPositionals: true,
      strict: true,
    }) as Parsed<O>;
  } catch (error) {
    // Node's messages go on to explain `--`; the first sentence says what is wrong.
    const reason = (error as Error).message.split(". ")[0];
    console.error(`galaxy ${command}: ${reason}; see galaxy ${command} --help`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    return 0;
  }
  return parsed;
}
