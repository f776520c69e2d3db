import { assertEquals, assertRejects } from "../../tests/assert.ts";
import { replaceDir } from "./replace_dir.ts";

async function folders() {
  const tmp = await Deno.makeTempDir();
  await Deno.mkdir(`${tmp}/new`);
  await Deno.writeTextFile(`${tmp}/new/plugin.js`, "new");
  await Deno.mkdir(`${tmp}/dist`);
  await Deno.writeTextFile(`${tmp}/dist/plugin.js`, "previous");
  return tmp;
}

Deno.test("replaceDir: when the new build cannot be moved in, the previous one stays", async () => {
  const tmp = await folders();
  try {
    let calls = 0;
    const failingSecond = async (from: string, to: string) => {
      if (++calls === 2) throw new Deno.errors.PermissionDenied("second rename refused");
      await Deno.rename(from, to);
    };
    await assertRejects(
      () => replaceDir(`${tmp}/new`, `${tmp}/dist`, `${tmp}/old`, failingSecond),
      (error) => error instanceof Deno.errors.PermissionDenied,
    );
    assertEquals(await Deno.readTextFile(`${tmp}/dist/plugin.js`), "previous");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("replaceDir: replaces an earlier build, or makes the first one", async () => {
  const tmp = await folders();
  try {
    await replaceDir(`${tmp}/new`, `${tmp}/dist`, `${tmp}/old`);
    assertEquals(await Deno.readTextFile(`${tmp}/dist/plugin.js`), "new");
    assertEquals(await Deno.readTextFile(`${tmp}/old/plugin.js`), "previous");
    await Deno.mkdir(`${tmp}/other`);
    await Deno.writeTextFile(`${tmp}/other/plugin.js`, "first");
    await replaceDir(`${tmp}/other`, `${tmp}/fresh`, `${tmp}/aside`);
    assertEquals(await Deno.readTextFile(`${tmp}/fresh/plugin.js`), "first");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
