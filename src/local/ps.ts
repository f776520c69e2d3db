/**
 * Running the system's `ps`, the one way Deno's sandbox lets an integration see other
 * processes on Linux and macOS: Deno refuses every read under `/proc` unless it runs with
 * `--allow-all` ("Requires all access to /proc", Deno 2.9), while `--allow-run=ps` is enough
 * to run `ps`, which reads `/proc` (Linux) or asks the kernel (macOS) outside the sandbox.
 *
 * @module
 */
import { isDenied, PermissionNeeded } from "./permission.ts";

/**
 * Runs `ps` with `args` and returns what it printed.
 *
 * @param args The arguments of `ps`.
 * @returns Its standard output.
 * @throws {PermissionNeeded} Without `--allow-run=ps`.
 * @throws {Error} When `ps` is missing or fails, with its message.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runPs } from "./ps.ts";
 * if (Deno.build.os === "linux") {
 *   assert((await runPs(["-o", "pid=", "-p", String(Deno.pid)])).trim() === String(Deno.pid));
 * }
 * ```
 */
export async function runPs(args: string[]): Promise<string> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("ps", {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (isDenied(error)) {
      throw new PermissionNeeded("listProcesses()", "run", "ps", { cause: error });
    }
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        "listProcesses() needs the system's ps, which is not installed" +
          (Deno.build.os === "linux" ? " (install procps)" : ""),
        { cause: error },
      );
    }
    throw error;
  }
  if (!output.success) {
    throw new Error(`ps failed: ${new TextDecoder().decode(output.stderr).trim()}`);
  }
  return new TextDecoder().decode(output.stdout);
}
