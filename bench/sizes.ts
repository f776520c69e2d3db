/**
 * The sizes the benchmark tracks beside its timings: the single-file runtime bundle
 * (`galaxy bundle-runtime`, issue 13) and the fixture's built integration, raw and gzipped,
 * written into a temporary folder, never into the checkout.
 *
 * @module
 */
import { bundleRuntime } from "../src/build/mod.ts";

/** One file whose size is tracked. */
export interface SizedFile {
  /** What it is, as the report names it. */
  readonly name: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** Its size gzipped, in bytes: about what a download by URL costs. */
  readonly gzipBytes: number;
}

/**
 * The gzipped size of `bytes`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gzipSize } from "./sizes.ts";
 * assert(await gzipSize(new Uint8Array(100_000)) < 1000);
 * ```
 */
export async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream("gzip"));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** Sizes one file on disk under `name`. */
export async function sized(name: string, path: string): Promise<SizedFile> {
  const bytes = await Deno.readFile(path);
  return { name, bytes: bytes.length, gzipBytes: await gzipSize(bytes) };
}

/**
 * Builds the single-file runtime bundle into a temporary folder and sizes each module and
 * the shared declarations; the folder is removed. Throws what the build throws.
 */
export async function runtimeBundleSizes(): Promise<SizedFile[]> {
  const out = await Deno.makeTempDir({ prefix: "galaxy-bench-runtime-" });
  try {
    const { files, declarations } = await bundleRuntime(out);
    const sizes: SizedFile[] = [];
    for (const file of files) sizes.push(await sized(`runtime ${file.entry}.js`, file.js));
    sizes.push(await sized("runtime runtime.d.ts", declarations.path));
    return sizes;
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

/**
 * The sizes as a Markdown table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sizeTable } from "./sizes.ts";
 * const text = sizeTable([{ name: "runtime mod.js", bytes: 2048, gzipBytes: 1024 }]);
 * assert(text.includes("| runtime mod.js | 2.0 | 1.0 |"));
 * ```
 */
export function sizeTable(files: readonly SizedFile[]): string {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  return [
    "| file | KB | gzip KB |",
    "|---|--:|--:|",
    ...files.map((f) => `| ${f.name} | ${kb(f.bytes)} | ${kb(f.gzipBytes)} |`),
  ].join("\n");
}
