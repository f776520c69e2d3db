/**
 * How a failure of the integration's own code is told, in the log and to Galaxy. A
 * permission the sandbox denied is told as its one line (which `deno.json` entry grants
 * it), never as Deno's advice to pass a flag, with its stack, that the author never passes.
 *
 * @module
 */
import { permissionDenial, UnknownError } from "../protocol/mod.ts";
import { describeError, type Logger } from "../log/mod.ts";

/**
 * Logs `error` at error level after `what`: a permission denial as its one line, anything
 * else with its stack.
 *
 * @param log The logger to write to.
 * @param what What failed, as the log line starts.
 * @param error What was thrown.
 */
export function logFailure(log: Logger, what: string, error: unknown): void {
  const denial = permissionDenial(error);
  if (denial) log.error(`${what}: ${denial.message}`);
  else log.error(what, error);
}

/**
 * The error Galaxy gets for something a handler threw that is no Galaxy error: an
 * UnknownError with the thrown error's message, or, for a permission denial, with its one
 * line as message and its `permission`, `resource` and `entry` in `data`.
 *
 * @param error What was thrown.
 * @returns The error to send.
 */
export function unknownError(error: unknown): UnknownError {
  const denial = permissionDenial(error);
  if (denial) {
    const { permission, resource, entry } = denial;
    return new UnknownError(denial.message, { permission, resource, entry });
  }
  return new UnknownError(error instanceof Error ? error.message : describeError(error));
}
