// Runs every example of the docs (JSDoc and README.md), each as its own test, in this one
// module. `deno test --doc` does the same but gives each of the ~300 examples a worker of
// its own that loads the runtime again: 50 s of a 2-core machine, against 2 s here. The
// type check of the same examples is `deno check --doc` in `deno task check`.
import { relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Example, jsdocExamples, markdownExamples } from "./examples.ts";
import { ROOT } from "./checkout.ts";

/** What `deno task check` hands to `deno check --doc`: the same files, checked and run. */
const SOURCES = ["mod.ts", "plugin.ts", "README.md", "src", "tests", "example", "bench"];

async function* files(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(path);
  if (!info.isDirectory) {
    yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    yield* files(`${path}/${entry.name}`);
  }
}

const root = fileURLToPath(ROOT);
const examples: Example[] = [];
for (const source of SOURCES) {
  for await (const path of files(`${root}${source}`)) {
    const file = relative(root, path);
    if (file.endsWith(".md")) {
      examples.push(...markdownExamples(file, await Deno.readTextFile(path)));
    } else if (file.endsWith(".ts")) {
      examples.push(...jsdocExamples(file, await Deno.readTextFile(path)));
    }
  }
}
examples.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

/**
 * The example as a module of its own in `dir`: relative imports and `import.meta.url` point
 * where they point from the documented file, as with `deno test --doc`; the package's own
 * name resolves through deno.json, as it does for an author.
 */
function moduleText(example: Example): string {
  const base = new URL(example.file, ROOT);
  return example.code
    .replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g,
      (_, lead: string, quote: string, spec: string) =>
        `${lead}${quote}${new URL(spec, base).href}${quote}`,
    )
    .replaceAll("import.meta.url", JSON.stringify(base.href));
}

const dir = Deno.makeTempDirSync({ prefix: "galaxy-examples-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

Deno.test("the docs have examples to run", () => {
  const runnable = examples.filter((example) => !example.ignore).length;
  if (runnable < 100) {
    throw new Error(`only ${runnable} examples to run found: is the extraction broken?`);
  }
});

for (const example of examples) {
  if (example.ignore) continue;
  const name = `${example.file}:${example.line}`;
  Deno.test(`example ${name}`, async () => {
    const path = `${dir}/${name.replaceAll(/[^\w.-]+/g, "_")}.ts`;
    await Deno.writeTextFile(path, moduleText(example));
    await import(pathToFileURL(path).href);
  });
}
