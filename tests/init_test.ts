// The new-user path, for real in a temp dir: `galaxy init my-integration`, then the new
// project's own `deno task test` and `deno task sim`, with no edits.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { checkManifest } from "../src/build/mod.ts";

const CLI = new URL("../src/cli/main.ts", import.meta.url).pathname;

async function run(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("init → deno task test → deno task sim, with no edits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const init = await run(
      ["run", "-A", CLI, "init", "my-integration", "--platform", "humble"],
      dir,
    );
    assertEquals(init.code, 0, init.out);
    const project = `${dir}/my-integration`;
    const manifest = JSON.parse(await Deno.readTextFile(`${project}/manifest.json`));
    const checked = checkManifest(manifest);
    assert(checked.ok, JSON.stringify(checked));
    assertEquals([manifest.name, manifest.platform, manifest.script], [
      "My Integration",
      "humble",
      "plugin.py",
    ]);
    const plugin = await Deno.readTextFile(`${project}/plugin.ts`);
    assertMatch(plugin, /class MyIntegrationPlugin extends Plugin/);
    assertMatch(plugin, /super\(Platform\.HumbleBundle, "0\.1\.0"\)/);
    assertMatch(plugin, /from "@galaxy-ts\/runtime";/);
    const config = JSON.parse(await Deno.readTextFile(`${project}/deno.json`));
    assertEquals(
      config.imports["@galaxy-ts/runtime"],
      new URL("../mod.ts", import.meta.url).href,
    );

    const test = await run(["task", "test"], project);
    assertEquals(test.code, 0, test.out);
    assertMatch(test.out, /2 passed \| 0 failed/);

    const sim = await run(["task", "sim"], project);
    assertEquals(sim.code, 0, sim.out);
    assertMatch(sim.out, /authenticated as Demo User/);
    assertMatch(sim.out, /import_owned_games: 2 owned games/);
    assertMatch(sim.out, /First Game/);
    const again = await run(["task", "sim"], project);
    assertEquals(again.code, 0, again.out);
    assertMatch(again.out, /with the kept credentials/);

    // A folder that is not empty is refused unless told otherwise.
    const refused = await run(["run", "-A", CLI, "init", "my-integration"], dir);
    assertEquals(refused.code, 1);
    assertMatch(refused.out, /my-integration is not empty; choose another folder, or pass --force/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("init: an unknown platform is refused with the list", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = await run(["run", "-A", CLI, "init", "x", "--platform", "stema"], dir);
    assertEquals(bad.code, 2);
    assertMatch(bad.out, /--platform stema is not a platform id Galaxy knows; did you mean steam/);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
