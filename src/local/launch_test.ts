import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { launch, LaunchError } from "./mod.ts";

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.endsWith("\n")) return text;
    } catch {
      // Not written yet.
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} was never written`);
}

Deno.test("an executable is started detached, with its arguments, in its own folder", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const game = `${dir}/game.sh`;
    await Deno.writeTextFile(game, '#!/bin/sh\necho "$1 $(pwd)" > "$2"\n');
    await Deno.chmod(game, 0o755);
    const pid = await launch(game, { args: ["started", `${dir}/out.txt`] });
    assert(pid > 0);
    assertEquals(await waitForFile(`${dir}/out.txt`), `started ${dir}\n`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a missing executable or opener is a clear LaunchError", async () => {
  await assertRejects(() => launch("/no/such/game"), (e) => {
    assert(e instanceof LaunchError);
    assertMatch(e.message, /cannot start \/no\/such\/game: no such file/);
    return true;
  });
  await assertRejects(
    () => launch("mygame://run/1", { opener: ["/no/such/opener"] }),
    (e) => {
      assert(e instanceof LaunchError);
      assertMatch(e.message, /URL opener "\/no\/such\/opener" is not installed/);
      return true;
    },
  );
});

Deno.test("a URL is handed to the opener", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const opener = `${dir}/opener.sh`;
    await Deno.writeTextFile(opener, `#!/bin/sh\necho "$1" > "${dir}/opened.txt"\n`);
    await Deno.chmod(opener, 0o755);
    await launch("mygame://run/42?mode=full", { opener: [opener] });
    assertEquals(await waitForFile(`${dir}/opened.txt`), "mygame://run/42?mode=full\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
