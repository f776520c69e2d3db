/**
 * The permissions baked into a compiled integration: network access to 127.0.0.1 (Galaxy's
 * socket) and whatever the integration declares in its Deno config, nothing else.
 *
 * An integration declares more in the `integration` permission set of its `deno.json` (the
 * nearest one at or above its folder), the same set `deno run -P=integration plugin.ts` uses
 * while developing:
 *
 * ```json
 * { "permissions": { "integration": { "net": ["api.store.example"], "env": ["GALAXY_LOG_LEVEL"] } } }
 * ```
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { dirname, join } from "node:path";
import { denialInText, PERMISSION_SET } from "../protocol/mod.ts";

export { PERMISSION_SET };

const KINDS = ["net", "read", "write", "env", "run", "sys", "ffi"] as const;

const Grant = v.union([
  v.boolean(),
  v.array(v.string()),
  v.object({ allow: v.optional(v.union([v.boolean(), v.array(v.string())])) }),
], "must be true, false, a list of names, or { allow: … }");

const SetSchema = v.strictObject(
  Object.fromEntries(KINDS.map((k) => [k, v.optional(Grant)])) as Record<
    typeof KINDS[number],
    v.OptionalSchema<typeof Grant, undefined>
  >,
  `has a kind the build does not grant; use ${KINDS.join(", ")}`,
);

/**
 * The one line an author sees when the sandbox denied the integration something: the
 * permission, the resource, and the `deno.json` entry that grants it, worded by the
 * protocol's `permissionDenied` as the runtime and the HTTP client word it. Recognises
 * Deno's own denial text (`Requires net access to "host:443", run again with the
 * --allow-net flag`) and that line, in a log line, an error message or an answer.
 *
 * @param text A line of the integration's output, or an error's message.
 * @returns The line, or undefined when `text` tells of no denial.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionHint } from "./permissions.ts";
 * const line = permissionHint('NotCapable: Requires net access to "api.store.example:443", run again');
 * assert(line?.includes('permissions.integration.net: ["api.store.example"]'));
 * assert(permissionHint('{"message":"Requires env access to \\"HOME\\", run again"}')
 *   ?.endsWith('permissions.integration.env: ["HOME"]'));
 * assert(permissionHint("all is well") === undefined);
 * ```
 */
export function permissionHint(text: string): string | undefined {
  return denialInText(text)?.message;
}

/** The result of {@linkcode permissionFlags}: flags, or one line per problem. */
export type PermissionFlags = { ok: true; flags: string[]; config?: string } | {
  ok: false;
  problems: string[];
};

/**
 * Finds the integration's Deno config and turns its `integration` permission set into
 * `--allow-*` flags, always granting net to 127.0.0.1 and read of `read` (the shipped
 * assets). This is the one place the sandbox is computed: the binary, the launcher's
 * bundle fallback and the simulator all run with these flags.
 *
 * @param folder The integration folder; the nearest deno.json at or above it is read.
 * @param read Paths the integration may read besides what its set grants.
 * @returns The flags and the config they come from, or one line per problem.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionFlags } from "./permissions.ts";
 * const result = await permissionFlags(await Deno.makeTempDir());
 * assert(result.ok && result.flags.includes("--allow-net=127.0.0.1"));
 * ```
 */
export async function permissionFlags(
  folder: string,
  read: readonly string[] = [],
): Promise<PermissionFlags> {
  const config = await findConfig(folder);
  let declared: unknown;
  if (config) {
    try {
      const json = JSON.parse(await Deno.readTextFile(config));
      declared = json?.permissions?.[PERMISSION_SET];
    } catch (error) {
      return {
        ok: false,
        problems: [`${config}: not plain JSON (${(error as Error).message}); remove comments`],
      };
    }
  }
  const result = v.safeParse(SetSchema, declared ?? {});
  if (!result.success) {
    return {
      ok: false,
      problems: result.issues.map((issue) => {
        const kind = issue.path?.map((p) => String(p.key)).join(".");
        return `${config}: permissions.${PERMISSION_SET}${kind ? "." + kind : ""} ${issue.message}`;
      }),
    };
  }
  const base: Partial<Record<typeof KINDS[number], string[]>> = {
    net: ["127.0.0.1"],
    read: [...read],
  };
  const flags: string[] = [];
  for (const kind of KINDS) {
    const grant = merge(base[kind] ?? [], result.output[kind]);
    if (grant === "*") flags.push(`--allow-${kind}`);
    else if (grant) flags.push(`--allow-${kind}=${grant}`);
  }
  return { ok: true, flags, config };
}

type GrantValue = v.InferOutput<typeof Grant> | undefined;

function allowOf(grant: GrantValue): boolean | string[] | undefined {
  return typeof grant === "object" && !Array.isArray(grant) ? grant.allow : grant;
}

function merge(base: string[], grant: GrantValue): string {
  const allow = allowOf(grant);
  if (allow === true) return "*";
  return [...new Set([...base, ...(Array.isArray(allow) ? allow : [])])].join(",");
}

async function findConfig(folder: string): Promise<string | undefined> {
  let dir = await Deno.realPath(folder);
  while (true) {
    for (const name of ["deno.json", "deno.jsonc"]) {
      try {
        const path = join(dir, name);
        if ((await Deno.stat(path)).isFile) return path;
      } catch {
        // Not here: look further up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
