// The new-user path, for real in a temp dir: `galaxy init` with a local checkout, then the
// new project's own `deno task test` and `deno task sim` with no edits, after both folders
// have moved; and scaffolds that pass their own format and lint checks whatever the name.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { copyPackage, deno, ROOT } from "../checkout.ts";
import { checkManifest } from "../../src/build/mod.ts";

const CLI = new URL("src/cli/main.ts", ROOT).pathname;

Deno.test("init from a checkout → move both folders → deno task test and sim pass", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "galaxy-init-" });
  try {
    await copyPackage(`${tmp}/a/galaxy-ts`);
    // Through the copy's own `deno task galaxy`, started from the folder above it: the
    // project lands beside the checkout (the caller's folder), not inside it.
    const init = await deno([
      "task",
      "--config",
      "galaxy-ts/deno.json",
      "galaxy",
      "init",
      "my-integration",
      "--platform",
      "humble",
      "--from",
      "galaxy-ts",
    ], `${tmp}/a`);
    assertEquals(init.code, 0, init.out);
    assertMatch(init.out, /runtime: \.\.\/galaxy-ts\/mod\.ts/);
    let project = `${tmp}/a/my-integration`;
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
    const configText = await Deno.readTextFile(`${project}/deno.json`);
    const config = JSON.parse(configText);
    assertEquals(config.imports["@galaxy-ts/runtime"], "../galaxy-ts/mod.ts");
    assertEquals(config.imports["@galaxy-ts/runtime/testing"], "../galaxy-ts/src/testing/mod.ts");
    assert(!configText.includes("file:") && !configText.includes(tmp), configText);
    assert(!configText.includes("esbuild"), configText);

    await Deno.rename(`${tmp}/a`, `${tmp}/b`);
    project = `${tmp}/b/my-integration`;
    const test = await deno(["task", "test"], project);
    assertEquals(test.code, 0, test.out);
    assertMatch(test.out, /2 passed \| 0 failed/);

    const sim = await deno(["task", "sim"], project);
    assertEquals(sim.code, 0, sim.out);
    assertMatch(sim.out, /authenticated as Demo User/);
    assertMatch(sim.out, /import_owned_games: 2 owned games/);
    assertMatch(sim.out, /First Game/);
    const again = await deno(["task", "sim"], project);
    assertEquals(again.code, 0, again.out);
    assertMatch(again.out, /with the kept credentials/);

    // A folder that is not empty is refused unless told otherwise.
    const refused = await deno(["run", "-A", CLI, "init", "my-integration"], `${tmp}/b`);
    assertEquals(refused.code, 1);
    assertMatch(refused.out, /my-integration is not empty; choose another folder, or pass --force/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("init: the scaffold passes deno fmt --check, lint and check for any name", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "galaxy-names-" });
  try {
    const projects: [string, string[]][] = [
      ["epic-games", []],
      ["my_store", []],
      ["Steam2", []],
      ["quoted", ["--name", 'The "Best" \\ Store']],
      ["an-integration-whose-folder-name-goes-on-and-on-far-beyond-the-width-of-a-line", []],
    ];
    for (const [dir, extra] of projects) {
      const init = await deno(
        ["run", "-A", CLI, "init", dir, "--from", ROOT.pathname, ...extra],
        tmp,
      );
      assertEquals(init.code, 0, init.out);
    }
    // One workspace of them all: each project is checked with its own deno.json.
    const workspace = { workspace: projects.map(([dir]) => `./${dir}`) };
    await Deno.writeTextFile(`${tmp}/deno.json`, JSON.stringify(workspace, null, 2) + "\n");
    for (const check of [["fmt", "--check"], ["lint"], ["check", "."]]) {
      const ran = await deno(check, tmp);
      assertEquals(ran.code, 0, `deno ${check.join(" ")}\n${ran.out}`);
    }
    const manifest = JSON.parse(await Deno.readTextFile(`${tmp}/quoted/manifest.json`));
    assertEquals(manifest.name, 'The "Best" \\ Store');
    const plugin = await Deno.readTextFile(`${tmp}/quoted/plugin.ts`);
    assert(plugin.includes(`windowTitle: 'Log in to The "Best" \\\\ Store'`), plugin);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("init: --from a URL writes no file: path; jsr is the default from a checkout", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "galaxy-from-" });
  try {
    const base = "https://raw.example/galaxy-ts/v0.1.0";
    const byUrl = await deno(["run", "-A", CLI, "init", "by-url", "--from", base], tmp);
    assertEquals(byUrl.code, 0, byUrl.out);
    const urlConfig = await Deno.readTextFile(`${tmp}/by-url/deno.json`);
    assert(!urlConfig.includes("file:") && !urlConfig.includes(tmp), urlConfig);
    const urlImports = JSON.parse(urlConfig).imports;
    assertEquals(urlImports["@galaxy-ts/runtime"], `${base}/mod.ts`);
    assertEquals(urlImports["@galaxy-ts/runtime/cli"], `${base}/src/cli/main.ts`);

    const byDefault = await deno(["run", "-A", CLI, "init", "by-default"], tmp);
    assertEquals(byDefault.code, 0, byDefault.out);
    const imports = JSON.parse(await Deno.readTextFile(`${tmp}/by-default/deno.json`)).imports;
    assertMatch(imports["@galaxy-ts/runtime"], /^jsr:@galaxy-ts\/runtime@\^\d+\.\d+\.\d+$/);
    assertMatch(
      imports["@galaxy-ts/runtime/testing"],
      /^jsr:@galaxy-ts\/runtime@\^[\d.]+\/testing$/,
    );

    const nowhere = await deno(["run", "-A", CLI, "init", "x", "--from", "nowhere"], tmp);
    assertEquals(nowhere.code, 2);
    assertMatch(
      nowhere.out,
      /--from nowhere: no mod\.ts in .*nowhere; give the folder of a galaxy-ts checkout/,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("init: an unknown platform is refused with the list", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bad = await deno(["run", "-A", CLI, "init", "x", "--platform", "stema"], dir);
    assertEquals(bad.code, 2);
    assertMatch(bad.out, /--platform stema is not a platform id Galaxy knows; did you mean steam/);
    assertEquals([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("testing kit: a scaffolded project's test of a never-settling handler fails in bounded time with the violation", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const init = await deno(["run", "-A", CLI, "init", "stuck", "--from", ROOT.pathname], dir);
    assertEquals(init.code, 0, init.out);
    await Deno.writeTextFile(
      `${dir}/stuck/stuck_test.ts`,
      `import { connect } from "@galaxy-ts/runtime/testing";
import { type Game, Platform, Plugin } from "@galaxy-ts/runtime";

class Stuck extends Plugin {
  constructor() {
    super(Platform.Generic, "0.1.0");
  }
  override getOwnedGames(): Promise<Game[]> {
    return new Promise(() => {});
  }
}

Deno.test("never settles", async () => {
  await using galaxy = await connect(new Stuck(), { timeoutMs: 500 });
  await galaxy.importOwnedGames();
});
`,
    );
    const test = await deno(["test", "-A", "stuck_test.ts"], `${dir}/stuck`);
    assertEquals(test.code, 1, test.out);
    assertMatch(
      test.out,
      /ProtocolViolation: protocol violations:\n\s+- import_owned_games not answered within 0\.5 s: a handler never settled/,
    );
    assert(!test.out.includes("SuppressedError"), test.out);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
