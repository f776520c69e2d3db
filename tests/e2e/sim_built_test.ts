// `galaxy sim` of a built integration folder: the bundle run through its Python launcher.
import { assertEquals, assertMatch } from "../assert.ts";
import { CLI, sim } from "../sim_run.ts";

Deno.test("sim: runs a built integration folder through its python launcher", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fixtures = new URL("../fixtures", import.meta.url).pathname;
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "build", fixtures, "--no-compile", "--out", `${dir}/dist`],
      // The check task has type-checked the fixture; this test is about the simulator.
      env: { GALAXY_BUILD_SKIP_TYPE_CHECK: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    assertEquals(build.code, 0, new TextDecoder().decode(build.stderr));
    const [built] = [...Deno.readDirSync(`${dir}/dist`)].filter((e) => e.isDirectory);
    await Deno.writeTextFile(`${dir}/login.json`, '{"end_uri": "http://127.0.0.1/done"}');
    const run = await sim(
      [
        "--import",
        "local",
        "--login",
        "login.json",
        "--fresh",
        "--no-transcript",
        `dist/${built.name}`,
      ],
      dir,
    );
    assertEquals(run.code, 0, run.stderr);
    assertMatch(run.stdout, /▶ starting python3 dist\/.*\.py/);
    assertMatch(run.stdout, /import_local_games: 2 local games/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
