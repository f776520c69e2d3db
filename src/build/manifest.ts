/**
 * `manifest.json`, the file Galaxy reads to find an integration: its schema and the checks
 * the build runs before anything is written.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { Platform } from "../protocol/mod.ts";

const PLATFORMS = Object.values(Platform) as [Platform, ...Platform[]];

/** What to do about each field, appended to every problem found in it. */
const FIXES: Record<string, string> = {
  name: 'set it to the integration\'s display name, e.g. "My Store"',
  platform: 'set it to a Galaxy platform id, e.g. "generic" (see Platform in the API)',
  guid: "set it to a fresh UUID, e.g. from crypto.randomUUID()",
  version: 'write it as numbers MAJOR.MINOR[.PATCH], e.g. "1.0.0", the same as the Plugin class',
  description: "describe the integration in one sentence",
  author: "set it to your name",
  email: "set it to an email address where users can reach you",
  url: "set it to the integration's home page, an https:// URL",
  script: 'set it to the launcher\'s file name, e.g. "plugin.py" (entry module plugin.ts)',
  update_url: "remove it, or set it to the https:// URL of current_version.json",
  assets: 'list files or folders inside the integration folder, e.g. ["data/defaults.json"]',
};

const text = (field: string) =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.trim(),
    v.nonEmpty(`${field} is empty`),
  );

const httpUrl = (field: string) =>
  v.pipe(
    text(field),
    v.url(`${field} is not a URL`),
    v.regex(/^https?:\/\//, `${field} is not an http(s) URL`),
  );

/**
 * The manifest's fields. Galaxy ignores fields it does not know, and so does this schema,
 * which keeps them.
 */
const ManifestSchema = v.looseObject({
  name: text("name"),
  platform: v.picklist(PLATFORMS, "platform is not a platform id Galaxy knows"),
  guid: v.pipe(text("guid"), v.uuid("guid is not a UUID")),
  version: v.pipe(
    text("version"),
    // Galaxy compares versions to offer updates: keep them plain numbers.
    v.regex(/^(0|[1-9]\d*)(\.(0|[1-9]\d*)){1,2}$/, "version is not a plain version number"),
  ),
  description: text("description"),
  author: text("author"),
  email: v.pipe(text("email"), v.email("email is not an email address")),
  url: httpUrl("url"),
  script: v.pipe(
    text("script"),
    // Galaxy imports it from the integration folder; the build writes the launcher there.
    v.regex(/^[A-Za-z_][A-Za-z0-9_]*\.py$/, "script is not a Python file name inside the folder"),
  ),
  update_url: v.optional(httpUrl("update_url")),
  // Not Galaxy's: the data files the build ships beside the bundle and embeds in the binary.
  assets: v.optional(v.array(
    v.pipe(
      text("assets"),
      v.check(
        (path) =>
          !/^([\\/]|[A-Za-z]:)/.test(path) && !path.split(/[\\/]/).includes("..") &&
          !/[*?,]/.test(path),
        "assets has a path that is absolute, leaves the folder, or holds * ? or ,",
      ),
    ),
    "assets must be a list of paths",
  )),
});

/** A valid `manifest.json`. */
export type Manifest = v.InferOutput<typeof ManifestSchema>;

/**
 * Checks a parsed `manifest.json`: the manifest, or one line per problem, each naming the
 * field and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkManifest } from "./manifest.ts";
 * const result = checkManifest({ name: "X", platform: "nope" });
 * assert(!result.ok && result.problems.some((p) => p.startsWith("platform:")));
 * ```
 */
export function checkManifest(
  data: unknown,
): { ok: true; manifest: Manifest } | { ok: false; problems: string[] } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, problems: ["manifest.json must hold a JSON object"] };
  }
  const result = v.safeParse(ManifestSchema, data, { abortPipeEarly: true });
  if (result.success) return { ok: true, manifest: result.output };
  const problems = result.issues.map((issue) => {
    const field = String(issue.path?.[0]?.key ?? "");
    const problem = issue.input === undefined ? `${field} is missing` : issue.message;
    return `${field}: ${problem}; ${FIXES[field] ?? "fix it"}`;
  });
  return { ok: false, problems };
}

/**
 * The entry module an integration's manifest names: its `script` with `.py` → `.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { entryModule } from "./manifest.ts";
 * assert(entryModule("plugin.py") === "plugin.ts");
 * ```
 */
export function entryModule(script: string): string {
  return script.replace(/\.py$/, ".ts");
}

/**
 * The folder name of a built integration: its manifest name, lowercased, with runs of
 * anything but letters and digits turned into `-` (the platform and guid when nothing is left).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { folderName } from "./manifest.ts";
 * assert(folderName({ name: "My Store!", platform: "generic", guid: "x" }) === "my-store");
 * ```
 */
export function folderName(manifest: Pick<Manifest, "name" | "platform" | "guid">): string {
  const slug = manifest.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return slug || `${manifest.platform}_${manifest.guid}`;
}
