/**
 * Deno's permission denials, told as the fix an author makes. Deno's own text ("run again
 * with the --allow-net flag") names a flag that the author never passes: the built binary,
 * the launcher and the simulator take their flags from the `integration` permission set of
 * the project's `deno.json`, so the fix is an entry there. Every layer (the runtime's
 * answers and log, the HTTP client, the local helpers, the simulator's report) words a
 * denial with {@linkcode permissionDenial}, so the author sees the same line everywhere.
 *
 * @module
 */

/** The name of the `deno.json` permission set an integration runs with. */
export const PERMISSION_SET = "integration";

/**
 * A permission the sandbox denied, and the `deno.json` entry that grants it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type PermissionDenial, permissionDenied } from "./permission.ts";
 * const denial: PermissionDenial = permissionDenied("env", "STORE_REGION");
 * assert.equal(denial.entry, 'permissions.integration.env: ["STORE_REGION"]');
 * ```
 */
export interface PermissionDenial {
  /** The kind of permission: "net", "read", "write", "env", "run", "sys", "ffi", "import". */
  readonly permission: string;
  /** What was asked for, as Deno named it (`api.store.example:443`); null for the whole kind. */
  readonly resource: string | null;
  /**
   * The `deno.json` entry that grants it, with the resource as the set spells it:
   * `permissions.integration.net: ["api.store.example"]`; null when no entry can ("all"
   * access, which Deno asks for reads under `/proc`).
   */
  readonly entry: string | null;
  /** One line naming the permission, the resource and the entry. */
  readonly message: string;
}

/**
 * The denial of `permission` for `resource`, worded once. A host on its scheme's default
 * port is granted by its name alone (the set's `"api.store.example"` covers every port of
 * it); another port stays, since Deno names it. FFI is granted whole: a scoped
 * `--allow-ffi=<library>` makes Deno look for a bare library name in the working directory.
 * "all" access (every permission) has no entry: a built integration never gets it.
 *
 * @param permission The kind, as Deno and `deno.json` name it (`net`, `read`, …).
 * @param resource The host, path, variable, program or API asked for; null for the whole kind.
 * @returns The denial with its entry and its line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionDenied } from "./permission.ts";
 * assert.equal(
 *   permissionDenied("net", "api.store.example:443").message,
 *   'permission denied: net access to "api.store.example:443"; grant it in deno.json: ' +
 *     'permissions.integration.net: ["api.store.example"]',
 * );
 * assert.equal(permissionDenied("ffi", null).entry, "permissions.integration.ffi: true");
 * assert.equal(permissionDenied("all", "/proc/self/stat").entry, null);
 * ```
 */
export function permissionDenied(permission: string, resource: string | null): PermissionDenial {
  const what = resource === null ? "" : ` to ${JSON.stringify(resource)}`;
  if (permission === "all") {
    return {
      permission,
      resource,
      entry: null,
      message: `permission denied: all access${what}; no deno.json entry grants it: Deno allows ` +
        "it only with every permission, which a built integration never has",
    };
  }
  const grant = resource === null || permission === "ffi"
    ? "true"
    : JSON.stringify([permission === "net" ? resource.replace(/:(443|80)$/, "") : resource]);
  const entry = `permissions.${PERMISSION_SET}.${permission}: ${grant}`;
  return {
    permission,
    resource,
    entry,
    message: `permission denied: ${permission} access${what}; grant it in deno.json: ${entry}`,
  };
}

// Our own line, possibly inside a log line or an error's message (its quotes escaped when
// that was written as JSON), then Deno's text, its resource quoted (escaped likewise) or bare.
const OURS = /permission denied: (\w+) access(?: to \\*"(.*?)\\*")?; (?:grant it in|no) deno\.json/;
const DENOS = /Requires (\w+) access(?: to (?:\\*"(.*?)\\*"|(\S+?)))?[,.]? run again/;

/**
 * Finds a permission denial in a text: Deno's own wording (`Requires net access to
 * "host:443", run again with the --allow-net flag`), or the line {@linkcode permissionDenied}
 * words, anywhere in a log line, an error's message or an answer.
 *
 * @param text A line of output, or a message.
 * @returns The denial, or undefined when `text` tells of none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denialInText } from "./permission.ts";
 * const denial = denialInText(
 *   'NotCapable: Requires net access to "api.store.example:443", run again with the --allow-net flag',
 * );
 * assert.equal(denial?.entry, 'permissions.integration.net: ["api.store.example"]');
 * assert.equal(denialInText(`ERROR galaxy.plugin: ${denial?.message}`)?.message, denial?.message);
 * assert.equal(denialInText("all is well"), undefined);
 * ```
 */
export function denialInText(text: string): PermissionDenial | undefined {
  const match = OURS.exec(text) ?? DENOS.exec(text);
  if (!match) return undefined;
  const resource = match[2] ?? match[3];
  return permissionDenied(match[1], resource === undefined ? null : resource);
}

/**
 * Reads a permission denial out of anything thrown: Deno's `NotCapable` (`PermissionDenied`
 * in older Deno), or an error that tells of one in its message (one of ours, or one that
 * wraps Deno's), looking through `cause`s; undefined for anything else.
 *
 * @param error What was thrown.
 * @returns The denial, or undefined when `error` is not one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionDenial } from "./permission.ts";
 * const cause = new Deno.errors.NotCapable(
 *   'Requires net access to "api.store.example:443", run again with the --allow-net flag',
 * );
 * const denial = permissionDenial(new Error("sync failed", { cause }));
 * assert.equal(denial?.permission, "net");
 * assert.equal(denial?.resource, "api.store.example:443");
 * assert.equal(permissionDenial(new Deno.errors.NotFound("no such file")), undefined);
 * ```
 */
export function permissionDenial(error: unknown): PermissionDenial | undefined {
  let e = error;
  for (let depth = 0; depth < 5; depth++) {
    try {
      if (typeof e === "string") return denialInText(e);
      if (!(e instanceof Error)) return undefined;
      const denial = typeof e.message === "string" ? denialInText(e.message) : undefined;
      if (denial) return denial;
      e = e.cause;
    } catch {
      // A hostile value (a Proxy whose traps throw) tells of no denial.
      return undefined;
    }
  }
  return undefined;
}
