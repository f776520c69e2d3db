/**
 * The error of the registry helpers.
 *
 * @module
 */

/**
 * A registry operation that cannot be done here: the registry is Windows-only, or a value
 * has another type than asked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Registry, RegistryError } from "@galaxy-ts/runtime/local";
 * if (Deno.build.os !== "windows") {
 *   assert.throws(() => new Registry(), RegistryError);
 * }
 * ```
 */
export class RegistryError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RegistryError";
  }
}
