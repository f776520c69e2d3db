/**
 * Where the simulator's report goes, and the scrubbing every line passes through.
 *
 * @module
 */
import type { SecretSet } from "../../log/mod.ts";

/** Where the session's human-readable report goes. */
export interface Output {
  /** A line of the report. */
  info(line: string): void;
  /** A problem: a violation, an error answer, a timeout. */
  problem(line: string): void;
  /** A transient progress line (long imports). */
  progress(line: string): void;
}

/**
 * Wraps `out` so that every line it is given is scrubbed of the secrets in `secrets` first.
 *
 * @param out Where the lines go.
 * @param secrets The secrets seen so far (and later: it is read at each line).
 * @returns The scrubbing output.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretSet } from "../../log/mod.ts";
 * import { scrubbed } from "./output.ts";
 * const lines: string[] = [];
 * const secrets = new SecretSet();
 * const out = scrubbed({ info: (l) => lines.push(l), problem: () => {}, progress: () => {} }, secrets);
 * secrets.addFrom("cookie-value-123");
 * out.info("end_uri ?sid=cookie-value-123");
 * assert(lines[0] === "end_uri ?sid=****");
 * ```
 */
export function scrubbed(out: Output, secrets: SecretSet): Output {
  return {
    info: (line) => out.info(secrets.scrub(line)),
    problem: (line) => out.problem(secrets.scrub(line)),
    progress: (line) => out.progress(secrets.scrub(line)),
  };
}
