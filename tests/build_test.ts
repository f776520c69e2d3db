// End-to-end: `galaxy build` of the fixture folder, then the built folder as Galaxy uses it:
// `python3 <dist>/<name>/fixture_plugin.py <token> <port>` against the fake Galaxy over real
// TCP. No compile runtime here, so the launcher runs the bundle with `deno run` (GALAXY_DENO);
// the compiled binary is tested only where DENORT_BIN provides a runtime.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { FakeGalaxy } from "./fake_galaxy.ts";
import { binaryName, type Target } from "../src/build/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = `${ROOT}src/cli/main.ts`;
const FIXTURES = `${ROOT}tests/fixtures`;
const NAME = "galaxy-ts-fixture";
const STEM = "fixture_plugin";
const HOST = Deno.build.target as Target;
const COMPILE = (() => {
  try {
    return Boolean(Deno.env.get("DENORT_BIN"));
  } catch {
    return false;
  }
})();
const PYTHON = new Deno.Command("python3", { args: ["-c", "import sys; print(sys.executable)"] })
  .outputSync();
const python = new TextDecoder().decode(PYTHON.stdout).trim();

async function galaxyBuild(args: string[], cwd = ROOT) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "build", ...args],
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

// One build for the whole file, exactly as an author runs it.
const OUT = await Deno.makeTempDir({ prefix: "galaxy-build-" });
const built = await galaxyBuild([FIXTURES, "--out", OUT, ...(COMPILE ? ["--target", "host"] : [])]);
const DIST = `${OUT}/${NAME}`;
const LAUNCHER = `${DIST}/${STEM}.py`;

Deno.test("build: the fixture folder gives the installed folder, the bundle and the zips", async () => {
  assertEquals(built.code, 0, built.stderr);
  assertMatch(built.stdout, /bundle .*fixture_plugin\.js: [\d.]+ KB \(runtime [\d.]+ KB/);
  if (!COMPILE) assertMatch(built.stdout, /compile skipped for .*; everything else is built/);
  const files = [...Deno.readDirSync(DIST)].map((e) => e.name).sort();
  const expected = [
    "fixture_plugin.js",
    "fixture_plugin.js.map",
    "fixture_plugin.py",
    "manifest.json",
  ];
  if (COMPILE) expected.push(binaryName(STEM, HOST));
  assertEquals(files, expected.sort());
  assertEquals(
    await Deno.readTextFile(`${DIST}/manifest.json`),
    await Deno.readTextFile(`${FIXTURES}/manifest.json`),
  );
  // Nothing else in the output folder: no temporary leftovers.
  const out = [...Deno.readDirSync(OUT)].map((e) => e.name).sort();
  const zips = COMPILE
    ? [`${NAME}_0.1_linux.zip`]
    : [`${NAME}_0.1_macos.zip`, `${NAME}_0.1_windows.zip`];
  assertEquals(out, [NAME, ...zips].sort());
  // Python's own zipfile reads each zip; its root is the installed folder.
  const listing = await new Deno.Command(python, {
    args: [
      "-c",
      "import sys, zipfile; print(sorted(zipfile.ZipFile(sys.argv[1]).namelist()))",
      `${OUT}/${zips[0]}`,
    ],
  }).output();
  assertEquals(
    new TextDecoder().decode(listing.stdout).trim(),
    `[${expected.map((f) => `'${f}'`).join(", ")}]`,
  );
});

Deno.test("launcher: a whole session through python3 <dist>/fixture_plugin.py", async () => {
  const galaxy = await FakeGalaxy.start({
    command: [python, LAUNCHER],
    env: COMPILE ? { PATH: "" } : { GALAXY_DENO: Deno.execPath() },
  });
  try {
    const caps = await galaxy.request("get_capabilities");
    assertEquals(caps.result.platform_name, "test");
    assertEquals(caps.result.token, galaxy.token);
    await galaxy.request("initialize_cache", { data: { greeting: "hi" } });
    const auth = await galaxy.request("init_authentication", {
      stored_credentials: { token: "ok" },
    });
    assertEquals(auth.result, { user_id: "u1", user_name: "Fixture" });
    const owned = await galaxy.request("import_owned_games");
    assertEquals(owned.result.owned_games.map((g: { game_id: string }) => g.game_id), [
      "g0",
      "g1",
      "g2",
    ]);
    assertEquals(
      (await galaxy.request("start_game_times_import", { game_ids: ["g7"] })).result,
      null,
    );
    const time = await galaxy.waitFor((m) => m.method === "game_time_import_success");
    assertEquals(time.params.game_time, {
      game_id: "g7",
      time_played: 7,
      last_played_time: 1700000007,
    });
    await galaxy.waitFor((m) => m.method === "game_times_import_finished");
    assertEquals(await galaxy.stop(), 0, galaxy.stderr);
    // The binary's log lines arrived through Python logging (the launcher's format).
    assertMatch(galaxy.stderr, /^INFO galaxy\.plugin: Connected to Galaxy/m);
  } finally {
    await galaxy.dispose();
  }
});

Deno.test("launcher: Python 3.7 grammar, standard library imports only", async () => {
  const script = `
import ast, sys
tree = ast.parse(open(sys.argv[1]).read(), feature_version=(3, 7))
names = set()
for node in ast.walk(tree):
    if isinstance(node, ast.Import):
        names.update(a.name.split(".")[0] for a in node.names)
    elif isinstance(node, ast.ImportFrom):
        names.add(node.module.split(".")[0])
print(sorted(n for n in names if n not in sys.stdlib_module_names))
`;
  const { stdout, stderr } = await new Deno.Command(python, { args: ["-c", script, LAUNCHER] })
    .output();
  assertEquals(new TextDecoder().decode(stdout).trim(), "[]", new TextDecoder().decode(stderr));
});

/** A copy of the built folder whose binary for this machine is `script`. */
async function withFakeBinary(script: string, mode = 0o755): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-launcher-" });
  for (const file of ["manifest.json", `${STEM}.py`]) {
    await Deno.copyFile(`${DIST}/${file}`, `${dir}/${file}`);
  }
  const binary = `${dir}/${binaryName(STEM, HOST)}`;
  await Deno.writeTextFile(binary, script);
  await Deno.chmod(binary, mode);
  return dir;
}

// Imports the launcher as Galaxy does (no side effect on import), runs main() with a handler
// that collects the records, and prints them with main()'s return value.
const HARNESS = `
import json, logging, sys
records = []
class Collect(logging.Handler):
    def emit(self, record):
        records.append([record.levelname, record.name, record.getMessage()])
root = logging.getLogger()
root.addHandler(Collect())
root.setLevel(logging.DEBUG)
sys.path.insert(0, sys.argv[1])
import fixture_plugin
assert records == [], "importing logged something"
code = fixture_plugin.main(sys.argv[2:])
print(json.dumps({"code": code, "records": records}))
`;

async function harness(dir: string, args: string[], env: Record<string, string> = {}) {
  const { stdout, stderr } = await new Deno.Command(python, {
    args: ["-c", HARNESS, dir, ...args],
    env,
    clearEnv: Object.keys(env).length > 0,
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  assert(text, new TextDecoder().decode(stderr));
  return JSON.parse(text) as { code: number; records: string[][] };
}

Deno.test("launcher: extra arguments, levels into logging, exit code, lost execute bit", async () => {
  const dir = await withFakeBinary(
    [
      "#!/bin/sh",
      'echo "2024-01-01T00:00:00.000Z DEBUG galaxy.test: args $*" >&2',
      'echo "2024-01-01T00:00:00.000Z WARNING galaxy.jsonrpc: careful: a: b" >&2',
      'echo "2024-01-01T00:00:00.000Z CRITICAL galaxy.plugin: down" >&2',
      "echo 'error: Uncaught Error: boom' >&2",
      "echo 'a console.log line'",
      "exit 7",
    ].join("\n") + "\n",
    0o644, // as an unzip that drops modes leaves it
  );
  try {
    const { code, records } = await harness(dir, ["tok", "1234", "--log", "/tmp/x y.log"]);
    assertEquals(code, 7);
    assertEquals(records, [
      ["DEBUG", "galaxy.test", "args tok 1234 --log /tmp/x y.log"],
      ["WARNING", "galaxy.jsonrpc", "careful: a: b"],
      ["CRITICAL", "galaxy.plugin", "down"],
      ["ERROR", "galaxy_ts.launcher", "error: Uncaught Error: boom"],
      ["INFO", "galaxy_ts.launcher", "a console.log line"],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("launcher: one clear line when there is nothing to run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-launcher-" });
  try {
    await Deno.copyFile(LAUNCHER, `${dir}/${STEM}.py`);
    await Deno.copyFile(`${DIST}/${STEM}.js`, `${dir}/${STEM}.js`);
    // No binary, and no deno to run the bundle with: not on PATH, no GALAXY_DENO.
    const { code, records } = await harness(dir, ["tok", "1234"], { PATH: dir });
    assertEquals(code, 127);
    assertEquals(records, [[
      "ERROR",
      "galaxy_ts.launcher",
      `The integration's binary is missing: expected ${dir}/${binaryName(STEM, HOST)}`,
    ]]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("launcher: killing it ends the integration too (end of its stdin)", async () => {
  const galaxy = await FakeGalaxy.start({
    command: [python, LAUNCHER],
    env: COMPILE ? { PATH: "" } : { GALAXY_DENO: Deno.execPath() },
  });
  try {
    await galaxy.handshake();
    galaxy.process.kill("SIGKILL");
    // The integration, a grandchild, closes Galaxy's socket only by ending its session.
    for (let i = 0; i < 200 && !galaxy.closed; i++) await new Promise((r) => setTimeout(r, 50));
    assert(galaxy.closed, "the integration kept Galaxy's connection open after its launcher died");
  } finally {
    await galaxy.dispose();
  }
});

Deno.test("build: bad manifests stop with one line each and exit code 2, leaving nothing", async () => {
  const good = JSON.parse(await Deno.readTextFile(`${FIXTURES}/manifest.json`));
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["missing field", { ...good, author: undefined }, /^galaxy build: author: author is missing; /],
    ["bad guid", { ...good, guid: "1234" }, /^galaxy build: guid: guid is not a UUID; /],
    [
      "version mismatch",
      { ...good, version: "0.2" },
      /^galaxy build: version: "0\.2" but FixturePlugin declares "0\.1"; make them equal$/,
    ],
    [
      "unknown platform",
      { ...good, platform: "stream" },
      /^galaxy build: platform: platform is not a platform id Galaxy knows; /,
    ],
    [
      "script outside",
      { ...good, script: "../fixture_plugin.py" },
      /^galaxy build: script: script is not a Python file name inside the folder; /,
    ],
  ];
  const folder = await Deno.makeTempDir({ prefix: "galaxy-bad-" });
  try {
    // An integration project of its own, as `galaxy init` makes them: its import map resolves
    // our package's dependencies.
    const { imports } = JSON.parse(
      await Deno.readTextFile(new URL("../deno.json", import.meta.url)),
    );
    await Deno.writeTextFile(`${folder}/deno.json`, JSON.stringify({ imports }));
    await Deno.writeTextFile(
      `${folder}/fixture_plugin.ts`,
      `export { FixturePlugin } from "${
        new URL("fixtures/fixture_plugin.ts", import.meta.url).href
      }";\n`,
    );
    for (const [what, manifest, line] of cases) {
      await Deno.writeTextFile(`${folder}/manifest.json`, JSON.stringify(manifest));
      const out = `${folder}/dist`;
      const { code, stdout, stderr } = await galaxyBuild([folder, "--out", out, "--no-compile"]);
      assertEquals(code, 2, `${what}: ${stdout}${stderr}`);
      assertEquals(stderr.trimEnd().split("\n").length, 1, `${what}: ${stderr}`);
      assertMatch(stderr.trimEnd(), line, what);
      let left: string[] = [];
      try {
        left = [...Deno.readDirSync(out)].map((e) => e.name);
      } catch {
        // Not even created: nothing left.
      }
      assertEquals(left, [], `${what}: left in dist`);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test({
  name: "build: remove the output of the shared build",
  fn: () => Deno.remove(OUT, { recursive: true }),
});
