/**
 * The single-file runtime bundle: per public entry point (`mod`, `http`, `local`, `testing`)
 * one ES module with no import left (valibot inlined) and one declaration file, to import
 * by path or URL with no import map and no npm.
 *
 * How it is made, with the tools at hand:
 * - JavaScript: `deno bundle` of one module re-exporting all four entries, so that there is
 *   one copy of the runtime. Each entry's file holds that whole copy, wrapped in a function
 *   that runs once per process: the first file loaded registers the runtime on `globalThis`
 *   under a versioned `Symbol.for` key and every other file uses it. So the classes an
 *   integration gets from `mod.js` and from `http.js` are the same classes (a `BackendError`
 *   thrown by the HTTP client is the one the Plugin runtime maps to its Galaxy code), though
 *   each file also works alone.
 * - Declarations: TypeScript's per-file declaration emit (`transpileDeclaration`, which
 *   needs no type checker: the package has no slow types, as JSR demands), then
 *   `dts-bundle-generator` per entry into one self-contained `.d.ts`. Both run as npm
 *   packages in a child Deno, so they are no dependency of this package. Two internal files
 *   (the valibot schemas of records and params) have types only the checker could infer;
 *   they are internal, so no public declaration depends on them.
 * - Each `.js` names its `.d.ts` with `// @ts-self-types`, which Deno reads for paths and
 *   URLs alike.
 *
 * It needs this package as a local checkout (a `file:` URL): it reads its sources.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The public entry points bundled, by the file name they get. */
export const RUNTIME_ENTRIES: Readonly<Record<string, string>> = {
  mod: "mod.ts",
  http: "src/http/mod.ts",
  local: "src/local/mod.ts",
  testing: "src/testing/mod.ts",
};

/** The npm tools run for the declarations, pinned. */
const TYPESCRIPT = "npm:typescript@5.9.3";
const DTS_BUNDLER = "npm:dts-bundle-generator@9.5.1";

/** One written entry point. */
export interface RuntimeBundleFile {
  /** Its name: mod, http, local or testing. */
  entry: string;
  /** The ES module's path. */
  js: string;
  /** Its declarations' path (the names it exports, from `runtime.d.ts`). */
  dts: string;
  /** The module's size, bytes. */
  jsBytes: number;
  /** The declarations' size, bytes. */
  dtsBytes: number;
}

/** What {@linkcode bundleRuntime} wrote. */
export interface RuntimeBundle {
  /** One module per entry point. */
  files: RuntimeBundleFile[];
  /** The declarations every entry's `.d.ts` re-exports from: `<outDir>/runtime.d.ts`. */
  declarations: { path: string; bytes: number };
}

/**
 * Writes `<outDir>/<entry>.js` and `<outDir>/<entry>.d.ts` for every public entry point, and
 * `<outDir>/runtime.d.ts`, the declarations they share (one declaration of each class, so
 * that a Plugin of `mod.js` is the Plugin the testing kit of `testing.js` takes).
 *
 * @param outDir Where to write them (made if needed).
 * @returns What was written, with sizes.
 * @throws {Error} When this package is not a local checkout, or a tool fails (its message).
 *
 * @example
 * ```ts ignore
 * import { bundleRuntime } from "./runtime_bundle.ts";
 * const { files } = await bundleRuntime("dist/runtime");
 * for (const file of files) console.log(file.js, file.jsBytes);
 * ```
 */
export async function bundleRuntime(outDir: string): Promise<RuntimeBundle> {
  const rootUrl = new URL("../../", import.meta.url);
  if (rootUrl.protocol !== "file:") {
    throw new Error(`the runtime bundle is made from a local checkout, not from ${rootUrl.href}`);
  }
  const root = fileURLToPath(rootUrl);
  const config = join(root, "deno.json");
  const { version } = JSON.parse(await Deno.readTextFile(config));
  const work = await Deno.makeTempDir({ prefix: "galaxy-runtime-bundle-" });
  try {
    const all = join(work, "all.ts");
    await Deno.writeTextFile(
      all,
      Object.values(RUNTIME_ENTRIES)
        .map((entry) => `export * from ${JSON.stringify(new URL(entry, rootUrl).href)};\n`)
        .join(""),
    );
    const code = await runtimeCode(all, config, work);
    const names = JSON.parse(
      await deno(["eval", "--config", config, EXPORT_NAMES, rootUrl.href], root),
    ) as Record<string, string[]>;
    await declarations(all, config, root, work);
    await Deno.mkdir(outDir, { recursive: true });
    const written: RuntimeBundleFile[] = [];
    for (const [entry, path] of Object.entries(RUNTIME_ENTRIES)) {
      const missing = names[entry].filter((name) => !code.exports.includes(name));
      if (missing.length) {
        throw new Error(`${path} exports ${missing.join(", ")}, which another entry also exports`);
      }
      const js = join(outDir, `${entry}.js`);
      const dts = join(outDir, `${entry}.d.ts`);
      await Deno.writeTextFile(js, wrap(entry, version, code.body, code.returned, names[entry]));
      await Deno.copyFile(join(work, `${entry}.d.ts`), dts);
      written.push({
        entry,
        js,
        dts,
        jsBytes: (await Deno.stat(js)).size,
        dtsBytes: (await Deno.stat(dts)).size,
      });
    }
    const shared = join(outDir, "runtime.d.ts");
    await Deno.copyFile(join(work, "runtime.d.ts"), shared);
    return {
      files: written,
      declarations: { path: shared, bytes: (await Deno.stat(shared)).size },
    };
  } finally {
    await Deno.remove(work, { recursive: true }).catch(() => {});
  }
}

// Prints, per entry, the names it exports (values only: types have no runtime name).
const EXPORT_NAMES = `
const root = Deno.args[0];
const entries = ${JSON.stringify(RUNTIME_ENTRIES)};
const names = {};
for (const [name, path] of Object.entries(entries)) {
  names[name] = Object.keys(await import(new URL(path, root).href));
}
console.log(JSON.stringify(names));
`;

/** Runs deno with `args` in `cwd`; its stdout, or throws with its stderr. */
async function deno(args: string[], cwd: string): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  if (!success) {
    const message = new TextDecoder().decode(stderr).trim().split("\n").slice(0, 8).join("; ");
    throw new Error(`deno ${args[0]} failed: ${message}`);
  }
  return new TextDecoder().decode(stdout);
}

/** The one bundle of all entries: its code without the export statement, and what it exports. */
async function runtimeCode(all: string, config: string, work: string) {
  const output = join(work, "all.js");
  await deno([
    "bundle",
    "--quiet",
    "--platform=deno",
    "--format=esm",
    "--minify",
    // Class names are behaviour: errors carry them, and the build finds the Plugin by name.
    "--keep-names",
    "--config",
    config,
    "--output",
    output,
    all,
  ], work);
  const text = (await Deno.readTextFile(output)).trimEnd();
  const at = text.lastIndexOf("export{");
  if (at < 0 || !text.endsWith("};")) throw new Error("the runtime bundle ends in no export list");
  const pairs = text.slice(at + "export{".length, -2).split(",").map((item) => {
    const [local, exported = local] = item.split(" as ");
    return [local.trim(), exported.trim()] as const;
  });
  return {
    body: text.slice(0, at),
    exports: pairs.map(([, exported]) => exported),
    returned: `{${pairs.map(([local, exported]) => `${exported}:${local}`).join(",")}}`,
  };
}

/** One entry's module: the shared runtime, evaluated once per process, and its names. */
function wrap(
  entry: string,
  version: string,
  body: string,
  returned: string,
  names: readonly string[],
): string {
  const key = JSON.stringify(`@galaxy-ts/runtime@${version}`);
  return `// @ts-self-types="./${entry}.d.ts"
// @galaxy-ts/runtime ${version}, entry "${entry}": one file, no imports. Every entry file of
// this version shares one copy of the runtime per process (globalThis[Symbol.for(${key})]).
const runtime = await (globalThis[Symbol.for(${key})] ??= (async () => {
${body}
return ${returned};
})());
export const {${names.join(",")}} = runtime;
`;
}

/** Per-file declarations of the package, then one bundled `.d.ts` per entry, in `work`. */
async function declarations(all: string, config: string, root: string, work: string) {
  const info = JSON.parse(await deno(["info", "--json", "--config", config, all], root));
  const files = (info.modules as { local?: string }[])
    .map((m) => m.local)
    .filter((local): local is string => !!local && local.startsWith(root));
  const types = join(work, "types");
  // The declarations of internal files name valibot's types: resolve them in Deno's cache.
  const { denoDir } = JSON.parse(await deno(["info", "--json"], work));
  const paths: Record<string, string[]> = {};
  for (const key of Object.keys(info.npmPackages ?? {})) {
    const [, name, version] = /^(@?[^@]+)@([^_]+)/.exec(key) ?? [];
    if (!name) continue;
    const dir = join(denoDir, "npm", "registry.npmjs.org", name, version);
    const pkg = JSON.parse(await Deno.readTextFile(join(dir, "package.json")).catch(() => "{}"));
    const typesFile = pkg.types ?? pkg.typings ?? pkg.exports?.["."]?.import?.types ??
      pkg.exports?.["."]?.types;
    if (typeof typesFile === "string") paths[name] = [join(dir, typesFile)];
  }
  const lib = join(work, "lib.deno.d.ts");
  // Deno's own libraries, less the references to libs only Deno's compiler knows.
  const denoTypes = (await deno(["types"], work)).replace(/^\/\/\/ <reference .*$/gm, "");
  await Deno.writeTextFile(lib, denoTypes);
  const tsconfig = join(work, "tsconfig.json");
  await Deno.writeTextFile(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        allowImportingTsExtensions: true,
        noEmit: true,
        module: "esnext",
        moduleResolution: "bundler",
        target: "es2022",
        lib: ["es2022", "esnext.disposable"],
        types: [],
        skipLibCheck: true,
        strict: true,
        paths,
      },
      files: [join(types, "all.d.ts"), lib],
    }),
  );
  const entries = Object.entries(RUNTIME_ENTRIES).map(([name, path]) => ({ name, path }));
  const script = join(work, "declarations.ts");
  await Deno.writeTextFile(script, DECLARATIONS);
  const args = { root, types, files, entries, tsconfig, lib, out: work };
  await deno(["run", "-A", script, JSON.stringify(args)], work);
}

// Run in a child: TypeScript's declaration emit per file, then one bundle per entry. The
// bundler takes any TypeScript from 5.0.2 on; importing 5.9.3 first pins the one it gets.
const DECLARATIONS = `
import ts from "${TYPESCRIPT}";
import { generateDtsBundle } from "${DTS_BUNDLER}";
const { root, types, files, entries, tsconfig, lib, out } = JSON.parse(Deno.args[0]);
// The bundler cannot follow \`typeof Deno.…\` (a value of a global namespace): such a type
// goes through a global alias declared beside Deno's types, put back after bundling.
const aliases = new Map();
const alias = (_match, path) => {
  const name = "__typeof_Deno" + path.replaceAll(".", "_");
  aliases.set(name, "typeof Deno" + path);
  return name;
};
for (const file of files) {
  let { outputText } = ts.transpileDeclaration(Deno.readTextFileSync(file), {
    fileName: file,
    compilerOptions: { allowImportingTsExtensions: true, target: ts.ScriptTarget.ES2022 },
  });
  // TypeScript 5.9 declares a computed-name method twice, once as a property: keep the method.
  for (const [, name] of outputText.matchAll(/^\\s*\\[([^\\]]+)\\]\\(/gm)) {
    outputText = outputText.split("\\n").filter((line) => line.trim().indexOf("[" + name + "]: ") !== 0).join("\\n");
  }
  // Our modules import npm packages by full specifier (npm:valibot@^1.2.0); the bundler
  // resolves bare names through the tsconfig's paths, so name each package bare.
  outputText = outputText.replace(/(["'])npm:(@?[^@"']+)@[^"']*\\1/g, "$1$2$1");
  const target = types + "/" + file.slice(root.length).replace(/\\.ts$/, ".d.ts");
  Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(target, outputText.replace(/typeof Deno((?:\\.\\w+)+)/g, alias));
}
const declared = [...aliases].map(([name, type]) => "type " + name + " = " + type + ";\\n");
Deno.writeTextFileSync(lib, declared.join(""), { append: true });
// One declaration bundle for all entries, as there is one runtime behind all files.
const all = types + "/all.d.ts";
Deno.writeTextFileSync(all, entries.map((e) => "export * from \\"./" + e.path + "\\";\\n").join(""));
let [text] = generateDtsBundle([{ filePath: all, output: { noBanner: true } }], {
  preferredConfigPath: tsconfig,
});
for (const [name, type] of aliases) text = text.replaceAll(name, type);
Deno.writeTextFileSync(out + "/runtime.d.ts", text);
// Each entry's declarations: the names it exports, from the shared bundle.
const options = { allowImportingTsExtensions: true, noEmit: true, types: [], skipLibCheck: true };
for (const entry of entries) {
  const file = types + "/" + entry.path.replace(/\\.ts$/, ".d.ts");
  const program = ts.createProgram([file, lib], options);
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  const names = checker.getExportsOfModule(symbol).map((s) => s.name).sort();
  Deno.writeTextFileSync(
    out + "/" + entry.name + ".d.ts",
    "export {\\n" + names.map((n) => "  " + n + ",\\n").join("") + "} from \\"./runtime.d.ts\\";\\n",
  );
}
`;
