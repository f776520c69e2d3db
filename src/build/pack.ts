/**
 * Release files: one zip per OS whose root is the installed folder, and the
 * `current_version.json` Galaxy's updater reads at the manifest's `update_url`.
 *
 * @module
 */
import { join } from "node:path";
import { type Os, osOf, type Target } from "./targets.ts";
import { zip } from "./zip.ts";

/** What goes into the release. */
export interface PackInput {
  /** The built folder. */
  dir: string;
  /** The folder's name, first part of each zip's name. */
  name: string;
  /** The manifest's version. */
  version: string;
  /** Files of the folder every zip holds. */
  files: readonly string[];
  /** The targets asked for: one zip per OS among them. */
  targets: readonly Target[];
  /** The binaries built, with their target. */
  binaries: readonly { file: string; target: Target }[];
  /** The manifest's update_url, if any. */
  updateUrl?: string;
  /** Where the zips will be downloaded from; the folder of updateUrl by default. */
  downloadUrl?: string;
}

/** A release file, not written yet. */
export interface ReleaseFile {
  /** Its file name. */
  name: string;
  /** Its bytes. */
  bytes: Uint8Array;
}

/**
 * Makes `<name>_<version>_<os>.zip` for every OS of the targets, each with the common files
 * and that OS's binaries, and `current_version.json` when there is an update URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pack } from "./pack.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/manifest.json`, "{}");
 * const release = await pack({
 *   dir, name: "demo", version: "1.0.0", files: ["manifest.json"],
 *   targets: ["x86_64-pc-windows-msvc"], binaries: [],
 *   updateUrl: "https://example.com/demo/current_version.json",
 * });
 * assert(release.map((f) => f.name).join() === "demo_1.0.0_windows.zip,current_version.json");
 * ```
 */
export async function pack(input: PackInput): Promise<ReleaseFile[]> {
  const systems = [...new Set(input.targets.map(osOf))];
  const common = await Promise.all(
    input.files.map(async (file) => ({
      name: file,
      data: await Deno.readFile(join(input.dir, file)),
    })),
  );
  const release: ReleaseFile[] = [];
  for (const os of systems) {
    const binaries = await Promise.all(
      input.binaries.filter((b) => osOf(b.target) === os).map(async (b) => ({
        name: b.file,
        data: await Deno.readFile(join(input.dir, b.file)),
        mode: 0o755,
      })),
    );
    release.push({
      name: zipName(input.name, input.version, os),
      bytes: zip([...common, ...binaries]),
    });
  }
  if (input.updateUrl) {
    const base = input.downloadUrl ?? new URL(".", input.updateUrl).href;
    const current = {
      tag_name: input.version,
      assets: release.map((file) => ({
        name: file.name,
        browser_download_url: new URL(file.name, base.endsWith("/") ? base : base + "/").href,
      })),
    };
    release.push({
      name: "current_version.json",
      bytes: new TextEncoder().encode(JSON.stringify(current, null, 2) + "\n"),
    });
  }
  return release;
}

/**
 * The name of the release zip for `os`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zipName } from "./pack.ts";
 * assert(zipName("demo", "1.0.0", "macos") === "demo_1.0.0_macos.zip");
 * ```
 */
export function zipName(name: string, version: string, os: Os): string {
  return `${name}_${version}_${os}.zip`;
}
