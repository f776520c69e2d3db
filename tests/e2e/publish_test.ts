// What JSR would receive: `deno publish --dry-run` lists the files; only the package's
// modules and the scaffold's template may be among them (no tests, fixtures or dev scripts),
// the dry run is clean, and no published module imports a file that is not published.
import { assert, assertEquals } from "../assert.ts";
import { deno, ROOT } from "../checkout.ts";
import config from "../../deno.json" with { type: "json" };

/** Files that are published although their names say test: the template `init` copies. */
const TEMPLATE = "src/cli/init/template/";

Deno.test("publish --dry-run: the modules and init's template, no tests, fixtures or dev scripts", async () => {
  const ran = await deno(["publish", "--dry-run", "--allow-dirty"], ROOT.pathname);
  assertEquals(ran.code, 0, ran.out);
  assert(!/warning/i.test(ran.out), ran.out);
  const files = [...ran.out.matchAll(/^\s+(file:\/\/\S+) \(/gm)]
    .map(([, url]) => url.slice(ROOT.href.length))
    .sort();
  assert(files.length > 20, ran.out);

  const unwanted = files.filter((file) =>
    !(file.startsWith("src/") ||
      ["README.md", "deno.json", "deno.lock", "mod.ts"].includes(file)) ||
    (/_test\.ts$/.test(file) && !file.startsWith(TEMPLATE)) ||
    /fixture|testdata|gen_types/.test(file)
  );
  assertEquals(unwanted, []);

  const entries = Object.values(config.exports).map((path) => path.replace(/^\.\//, ""));
  const template = ["README.md", "gitignore", "plugin.ts", "plugin_test.ts", "sim/login.json"]
    .map((name) => `${TEMPLATE}${name}`);
  for (const file of [...entries, ...template]) assert(files.includes(file), `${file} missing`);

  // Every relative import of a published module (doc examples included) is published too.
  const outside: string[] = [];
  for (const file of files.filter((f) => f.endsWith(".ts"))) {
    const source = await Deno.readTextFile(new URL(file, ROOT));
    for (const [, specifier] of source.matchAll(/(?:from |import\()"(\.\.?\/[^"]+)"/g)) {
      const target = new URL(specifier, new URL(file, ROOT)).href.slice(ROOT.href.length);
      if (!files.includes(target)) outside.push(`${file} → ${specifier}`);
    }
  }
  assertEquals(outside, []);
});
