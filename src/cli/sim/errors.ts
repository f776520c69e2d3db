/**
 * The simulator's own error: something the user must fix before it can run.
 *
 * @module
 */

/**
 * Why the simulator cannot go on; `galaxy sim` prints the message as one line and exits 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SimError } from "./errors.ts";
 * assert(new SimError("no manifest.json").message === "no manifest.json");
 * ```
 */
export class SimError extends Error {
  /** Creates the error; the message is one line saying what to fix. */
  constructor(message: string) {
    super(message);
    this.name = "SimError";
  }
}
