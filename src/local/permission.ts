/**
 * The error a local helper throws when the integration's sandbox lacks a permission it needs,
 * saying which helper, which permission, and the `deno.json` line that grants it: Deno's own
 * message ("run again with the --allow-run flag") names a flag, which is not the fix for a
 * built integration, whose flags come from `permissions.integration` in `deno.json`. The
 * line is the protocol's, the same the runtime and the HTTP client write.
 *
 * @module
 */
import { type PermissionDenial, permissionDenied } from "../protocol/mod.ts";

/** The permission kinds a local helper can need, as `deno.json` spells them. */
export type PermissionKind = "read" | "run" | "env" | "ffi";

/**
 * A local helper was denied a permission; the message names the grant that fixes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PermissionNeeded } from "./permission.ts";
 * const error = new PermissionNeeded("listProcesses()", "run", "ps");
 * assert.equal(
 *   error.message,
 *   'listProcesses(): permission denied: run access to "ps"; grant it in deno.json: ' +
 *     'permissions.integration.run: ["ps"]',
 * );
 * assert.equal(error.flag, "--allow-run=ps");
 * ```
 */
export class PermissionNeeded extends Error {
  /** The kind of permission (`run`, `ffi`, …). */
  readonly kind: PermissionKind;
  /** What it is needed for (a program, a variable, a path), or null for the whole kind. */
  readonly resource: string | null;
  /** The `deno run` flag that grants it. */
  readonly flag: string;
  /** The denial: permission, resource, and the `deno.json` entry that grants it. */
  readonly denial: PermissionDenial;

  /**
   * Creates the error.
   *
   * @param helper The helper that needed it, as authors call it (`listProcesses()`).
   * @param kind The permission's kind.
   * @param resource The program, variable or path; null when the kind is granted whole.
   * @param options The Deno error that denied it, as `cause`.
   */
  constructor(
    helper: string,
    kind: PermissionKind,
    resource: string | null,
    options?: ErrorOptions,
  ) {
    const denial = permissionDenied(kind, resource);
    super(`${helper}: ${denial.message}`, options);
    this.name = "PermissionNeeded";
    this.kind = kind;
    this.resource = resource;
    this.flag = resource === null ? `--allow-${kind}` : `--allow-${kind}=${resource}`;
    this.denial = denial;
  }
}

/**
 * Whether `error` is Deno's refusal of a permission (`NotCapable`; `PermissionDenied` in
 * older Deno), as opposed to the system's refusal of an operation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDenied } from "./permission.ts";
 * assert(isDenied(new Deno.errors.NotCapable("Requires run access")));
 * assert(!isDenied(new Deno.errors.NotFound("no such file")));
 * ```
 */
export function isDenied(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable;
}
