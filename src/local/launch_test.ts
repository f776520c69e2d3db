import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { runSandboxed } from "../../tests/sandbox.ts";
import { launch, LaunchError, openDocument } from "./mod.ts";

async function waitForFile(path: string, lines = 1): Promise<string> {
  for (let i = 0; i < 200; i++) {
    try {
      const text = await Deno.readTextFile(path);
      if (text.endsWith("\n") && text.split("\n").length > lines) return text;
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

Deno.test("a document is handed to the opener once it is known to exist", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const opener = `${dir}/opener.sh`;
    await Deno.writeTextFile(opener, `#!/bin/sh\necho "$1|$2" > "${dir}/opened.txt"\n`);
    await Deno.chmod(opener, 0o755);
    const manual = `${dir}/My Manual.pdf`;
    await Deno.writeTextFile(manual, "%PDF");
    assert(await openDocument(manual, { opener: [opener, "--flag"] }) > 0);
    assertEquals(await waitForFile(`${dir}/opened.txt`), `--flag|${manual}\n`);
    await Deno.remove(`${dir}/opened.txt`);
    await openDocument(dir, { opener: [opener] });
    assertEquals(await waitForFile(`${dir}/opened.txt`), `${dir}|\n`, "a folder opens too");
    await Deno.remove(`${dir}/opened.txt`);
    await openDocument("https://store.example/help?a=1&b=2", { opener: [opener] });
    assertEquals(await waitForFile(`${dir}/opened.txt`), "https://store.example/help?a=1&b=2|\n");
    await assertRejects(() => openDocument(`${dir}/missing.pdf`, { opener: [opener] }), (e) => {
      assert(e instanceof LaunchError);
      assertEquals(e.message, `cannot open ${dir}/missing.pdf: no such file (is it there?)`);
      return true;
    });
    await assertRejects(() => openDocument(manual, { opener: ["/no/such/opener"] }), (e) => {
      assert(e instanceof LaunchError);
      assertEquals(
        e.message,
        `cannot open ${manual}: the opener "/no/such/opener" is not installed`,
      );
      return true;
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("in the sandbox: with the documented grants it opens, without them the grant is named", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.writeTextFile(`${dir}/doc.txt`, "x");
    const lines = await runSandboxed(
      `import { openDocument } from ${JSON.stringify(new URL("./launch.ts", import.meta.url).href)};
for (const target of ["${dir}/doc.txt", "https://store.example/"]) {
  try { await openDocument(target, { opener: ["true"] }); } catch (e) { console.log(e.name + ": " + e.message); }
}`,
      ["--allow-net=127.0.0.1"],
    );
    // With the grants the docs name, the same calls go through.
    const opener = `${dir}/opener.sh`;
    await Deno.writeTextFile(opener, `#!/bin/sh\necho "$1" >> "${dir}/opened.txt"\n`);
    await Deno.chmod(opener, 0o755);
    const granted = await runSandboxed(
      `import { openDocument } from ${JSON.stringify(new URL("./launch.ts", import.meta.url).href)};
for (const target of ["${dir}/doc.txt", "https://store.example/"]) {
  console.log(typeof await openDocument(target, { opener: [${JSON.stringify(opener)}] }));
}`,
      ["--allow-net=127.0.0.1", `--allow-run=${opener}`, `--allow-read=${dir}/doc.txt`],
    );
    assertEquals(granted, ["number", "number"]);
    const opened = await waitForFile(`${dir}/opened.txt`, 2);
    assertEquals(opened.split("\n").sort(), ["", `${dir}/doc.txt`, "https://store.example/"]);
    const grant = "grant it in deno.json: permissions.integration";
    assertEquals(lines, [
      `LaunchError: cannot open ${dir}/doc.txt: openDocument(): permission denied: read access ` +
      `to "${dir}/doc.txt"; ${grant}.read: ["${dir}/doc.txt"]`,
      `LaunchError: cannot start true: openDocument(): permission denied: run access to "true"; ` +
      `${grant}.run: ["true"]`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
