// README's TypeScript examples, as an author pastes them into a project made by `galaxy
// init`: every block passes `deno lint` with the default rules, and every block not marked
// `ignore` (a fragment) type-checks against the package's names.
import { assert, assertEquals } from "../assert.ts";
import { deno, ROOT } from "../checkout.ts";
import { importMap } from "../../src/cli/init.ts";
import { markdownExamples } from "../examples.ts";

Deno.test("README: every TypeScript example lints, and every complete one type-checks", async () => {
  const blocks = markdownExamples("README.md", await Deno.readTextFile(new URL("README.md", ROOT)));
  assert(blocks.length >= 3, `only ${blocks.length} blocks found`);
  const dir = await Deno.makeTempDir({ prefix: "galaxy-readme-" });
  try {
    const config = { imports: importMap(ROOT.href), lint: { rules: { tags: ["recommended"] } } };
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config));
    const files = blocks.map((block) => `readme_line_${block.line}.ts`);
    for (const [k, block] of blocks.entries()) {
      await Deno.writeTextFile(`${dir}/${files[k]}`, block.code);
    }
    const lint = await deno(["lint", ...files], dir);
    assertEquals(lint.code, 0, lint.out);
    const complete = files.filter((_, k) => !blocks[k].ignore);
    const check = await deno(["check", ...complete], dir);
    assertEquals(check.code, 0, check.out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
