/**
 * Deno's permission denials, told as the fix an author makes: the integration's permission
 * set in `deno.json` (`permissions.integration`), which is what the built binary gets.
 * Deno's own text ("run again with the --allow-net flag") names a flag that the author never
 * passes: the launcher does, from that set.
 *
 * @module
 */

/**
 * A permission the integration was denied, as {@linkcode permissionDenial} reads it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type PermissionDenial, permissionDenial } from "@galaxy-ts/runtime/http";
 * const denial: PermissionDenial | undefined = permissionDenial(
 *   new Deno.errors.NotCapable('Requires env access to "STORE_REGION", run again with the --allow-env flag'),
 * );
 * assert(denial?.entry === "permissions.integration.env");
 * ```
 */
export interface PermissionDenial {
  /** The kind of permission: "net", "read", "write", "env", "run", "sys", "ffi", "import". */
  readonly permission: string;
  /** What was asked for: a host (with its port unless 80 or 443), a path, a variable, a program. */
  readonly resource: string;
  /** The `deno.json` entry that grants it, e.g. `permissions.integration.net`. */
  readonly entry: string;
  /** One line naming the permission, the resource and the entry. */
  readonly message: string;
}

const REQUIRES = /Requires (\w+) access to "?(.*?)"?, run again with/;

/**
 * Reads a permission denial out of anything thrown (`Deno.errors.NotCapable`, or
 * `Deno.errors.PermissionDenied` with Deno's text), looking through `cause`s; undefined for
 * anything else. The message has the form
 * `net access to api.store.example denied: add it to permissions.integration.net in deno.json`.
 *
 * @param error What was thrown.
 * @returns The denial, or undefined when `error` is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionDenial } from "@galaxy-ts/runtime/http";
 * try {
 *   throw new Deno.errors.NotCapable(
 *     'Requires net access to "api.store.example:443", run again with the --allow-net flag',
 *   );
 * } catch (error) {
 *   assert.equal(
 *     permissionDenial(error)?.message,
 *     "net access to api.store.example denied: add it to permissions.integration.net in deno.json",
 *   );
 * }
 * ```
 */
export function permissionDenial(error: unknown): PermissionDenial | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (!(e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied)) {
      continue;
    }
    const match = REQUIRES.exec(e.message);
    if (!match) continue;
    const [, permission, asked] = match;
    // "api.store.example" in the set grants every port: the default ports need no mention.
    const resource = permission === "net" ? asked.replace(/:(443|80)$/, "") : asked;
    const entry = `permissions.integration.${permission}`;
    return {
      permission,
      resource,
      entry,
      message: `${permission} access to ${resource} denied: add it to ${entry} in deno.json`,
    };
  }
  return undefined;
}
