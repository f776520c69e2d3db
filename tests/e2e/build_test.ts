// End-to-end: `galaxy build` of the fixture folder, then the built folder as Galaxy uses it:
// `python3 <dist>/<name>/fixture_plugin.py <token> <port>` against the fake Galaxy over real
// TCP. No compile runtime here, so the launcher runs the bundle with `deno run` (GALAXY_DENO);
// the compiled binary is tested only where DENORT_BIN provides a runtime.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { FakeGalaxy } from "../fake_galaxy.ts";
import { binaryName, pack, type Target } from "../../src/build/mod.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
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

// For the builds whose test is not about the type check: the check task has checked the
// fixture, and a repeat costs seconds of CPU per new project.
const UNCHECKED = { GALAXY_BUILD_SKIP_TYPE_CHECK: "1" };

async function galaxyBuild(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "build", ...args],
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

// One build of the fixture for the whole file, exactly as an author runs it: made by the first
// test that needs it, whichever that is, and removed when the file's tests are done.
const OUT = Deno.makeTempDirSync({ prefix: "galaxy-build-" });
globalThis.addEventListener("unload", () => Deno.removeSync(OUT, { recursive: true }));
let shared: ReturnType<typeof galaxyBuild> | undefined;
const fixtureBuild = () =>
  shared ??= galaxyBuild([FIXTURES, "--out", OUT, ...(COMPILE ? ["--target", "host"] : [])]);
const DIST = `${OUT}/${NAME}`;
const LAUNCHER = `${DIST}/${STEM}.py`;

Deno.test("build: the fixture folder gives the installed folder and the bundle; zips only with every binary", async () => {
  const built = await fixtureBuild();
  // Without a compile runtime no release is made, and the build says so and fails.
  if (COMPILE) assertEquals(built.code, 0, built.stderr);
  else {
    assertEquals(built.code, 1, built.stdout + built.stderr);
    assertMatch(
      built.stderr,
      /^galaxy build: NO RELEASE MADE: compile skipped for .*; zips and current_version\.json need every binary; .* is for trying it locally only$/m,
    );
  }
  assertMatch(built.stdout, /bundle .*fixture_plugin\.js: [\d.]+ KB \(runtime [\d.]+ KB/);
  // Progress: each step, with its size and time.
  assertMatch(built.stdout, /^ {2}type check: fixture_plugin\.ts ok \([\d.]+ s\)$/m);
  assertMatch(built.stdout, /^ {2}bundle: fixture_plugin\.js [\d.]+ KB \([\d.]+ s\)$/m);
  assertMatch(
    built.stdout,
    COMPILE ? /^ {2}compile \S+: \S+ [\d.]+ MB \([\d.]+ s\)$/m : /^ {2}compile \S+: skipped \(/m,
  );
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
  // Nothing else in the output folder: no temporary leftovers, and no zip without binaries.
  const out = [...Deno.readDirSync(OUT)].map((e) => e.name).sort();
  const zips = COMPILE ? [`${NAME}_0.1_linux.zip`] : [];
  assertEquals(out, [NAME, ...zips].sort());
  if (!COMPILE) return;
  assertMatch(built.stdout, /^ {2}zips: \S+\.zip [\d.]+ MB \([\d.]+ s\)$/m);
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
  await fixtureBuild();
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
  await fixtureBuild();
  const { stdout, stderr } = await new Deno.Command(python, { args: ["-c", script, LAUNCHER] })
    .output();
  assertEquals(new TextDecoder().decode(stdout).trim(), "[]", new TextDecoder().decode(stderr));
});

/** A copy of the built folder whose binary for this machine is `script`. */
async function withFakeBinary(script: string, mode = 0o755): Promise<string> {
  await fixtureBuild();
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
  await fixtureBuild();
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
  await fixtureBuild();
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
      await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
    );
    await Deno.writeTextFile(`${folder}/deno.json`, JSON.stringify({ imports }));
    await Deno.writeTextFile(
      `${folder}/fixture_plugin.ts`,
      `export { FixturePlugin } from "${
        new URL("../fixtures/fixture_plugin.ts", import.meta.url).href
      }";\n`,
    );
    for (const [what, manifest, line] of cases) {
      await Deno.writeTextFile(`${folder}/manifest.json`, JSON.stringify(manifest));
      const out = `${folder}/dist`;
      const { code, stdout, stderr } = await galaxyBuild(
        [folder, "--out", out, "--no-compile"],
        ROOT,
        UNCHECKED,
      );
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

/** A fresh integration project: its deno.json resolves our package's dependencies. */
async function integration(
  dir: string,
  plugin: string,
  manifest: Record<string, unknown> = {},
): Promise<void> {
  const { imports, compilerOptions } = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  // The runtime by name, as a scaffolded project imports it.
  const runtime = { "@galaxy-ts/runtime": new URL("../../mod.ts", import.meta.url).href };
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ imports: { ...imports, ...runtime }, compilerOptions }),
  );
  await Deno.writeTextFile(
    `${dir}/manifest.json`,
    JSON.stringify({
      name: "Gate",
      platform: "generic",
      guid: "8d0f6a1e-3c55-4b7e-9a41-2f6e5d7c9b10",
      version: "1.0.0",
      description: "a build gate case",
      author: "test",
      email: "test@example.com",
      url: "https://example.com/",
      script: "plugin.py",
      ...manifest,
    }),
  );
  await Deno.writeTextFile(
    `${dir}/plugin.ts`,
    `import { type Authentication, type Game, LicenseType, Platform, Plugin, runPlugin } ` +
      `from "@galaxy-ts/runtime";\n` +
      `const licenseInfo = { licenseType: LicenseType.SinglePurchase };\n` +
      `export class GatePlugin extends Plugin {\n` +
      `  constructor() { super(Platform.Generic, "1.0.0"); }\n${plugin}\n}\n` +
      `if (import.meta.main) runPlugin(GatePlugin, Deno.args);\n`,
  );
}

const AUTHENTICATE = `  override authenticate(): Promise<Authentication> {
    return Promise.resolve({ userId: "u", userName: "U" });
  }`;
const OWNED = `  override getOwnedGames(): Promise<Game[]> {
    return Promise.resolve([{ gameId: "1", gameTitle: "One", licenseInfo }]);
  }`;

/**
 * Builds `plugin` as a project of its own, once per entry of `runs` (its arguments), each
 * from the same start; returns each run and what is left in its dist. One project for
 * several builds: the type check of one plugin is done once, as for an author.
 */
async function gates(plugin: string, runs: string[][], manifest = {}, env = {}) {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-gate-" });
  try {
    await integration(dir, plugin, manifest);
    const results = [];
    for (const args of runs) {
      await Deno.remove(`${dir}/dist`, { recursive: true }).catch(() => {});
      await Deno.mkdir(`${dir}/dist`);
      // An earlier release of this version, which a failed release must not leave behind.
      await Deno.writeTextFile(`${dir}/dist/gate_1.0.0_windows.zip`, "old");
      const run = await galaxyBuild([".", ...args], dir, env);
      const left = [...Deno.readDirSync(`${dir}/dist`)].map((e) => e.name).sort();
      results.push({ ...run, left });
    }
    return results;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Builds `plugin` as a project of its own with `--no-compile`; returns the run and what is
 * left in its dist. `env` is the build's extra environment.
 */
async function gate(plugin: string, env = {}) {
  const [run] = await gates(plugin, [["--no-compile"]], {}, env);
  return run;
}

Deno.test("build gate: a type error stops the build with the compiler's message, exit 2, nothing written", async () => {
  const run = await gate(`${AUTHENTICATE}
  override getOwnedGames(): Promise<Game[]> {
    return Promise.resolve([{ gameId: "1", gameTitle: "One" }]);
  }`);
  assertEquals(run.code, 2, run.stdout + run.stderr);
  assertMatch(
    run.stderr,
    /^galaxy build: type check: plugin\.ts does not type-check; fix what deno check says:$/m,
  );
  assertMatch(run.stderr, /^ {4}TS\d+ \[ERROR\]: /m);
  assertMatch(run.stderr, /Property 'licenseInfo' is missing/);
  assertEquals(run.left, ["gate_1.0.0_windows.zip"]);

  // A handler without \`override\` (Deno's default compiler options demand it).
  const bare = await gate(`${AUTHENTICATE.replace("override ", "")}\n${OWNED}`);
  assertEquals(bare.code, 2, bare.stdout + bare.stderr);
  assertMatch(bare.stderr, /TS4114 \[ERROR\]: This member must have an 'override' modifier/);
});

Deno.test("build gate: no feature, or no authenticate, is refused; a near miss gets 'did you mean'", async () => {
  const misspelt = await gate(
    `${AUTHENTICATE}
  getOwnGames(): Promise<Game[]> {
    return Promise.resolve([]);
  }`,
    UNCHECKED,
  );
  assertEquals(misspelt.code, 2, misspelt.stdout + misspelt.stderr);
  assertMatch(
    misspelt.stderr,
    /^galaxy build: script: GatePlugin declares no feature, so Galaxy would stay "launching" it; /m,
  );
  assertMatch(
    misspelt.stderr,
    /^galaxy build: warning: GatePlugin\.getOwnGames overrides no Plugin method: did you mean getOwnedGames\?/m,
  );
  assertEquals(misspelt.left, ["gate_1.0.0_windows.zip"]);

  const anonymous = await gate(OWNED, UNCHECKED);
  assertEquals(anonymous.code, 2, anonymous.stdout + anonymous.stderr);
  assertMatch(
    anonymous.stderr,
    /^galaxy build: script: GatePlugin does not implement authenticate\(\)/m,
  );
  assert(!anonymous.stderr.includes("no feature"), anonymous.stderr);

  const warned = await gate(
    `${AUTHENTICATE}\n${OWNED}
  getFriend(): Promise<never[]> {
    return Promise.resolve([]);
  }
  fetchPage(): Promise<void> {
    return Promise.resolve();
  }`,
    UNCHECKED,
  );
  assertEquals(warned.code, 0, warned.stdout + warned.stderr);
  assertEquals(
    warned.stderr.trim().split("\n").filter((l) => l.includes("warning")),
    ["galaxy build: warning: GatePlugin.getFriend overrides no Plugin method: did you mean getFriends? (Galaxy never calls it as it is)"],
  );
});

Deno.test("release integrity: a compile that could not run writes no zip and no current_version.json, exit 1; --no-compile writes no zip", async () => {
  const manifest = { update_url: "https://example.com/gate/current_version.json" };
  // Offline here, and DENORT_BIN (where set) is this machine's runtime only: the Windows
  // target cannot be compiled either way.
  const [missing, bundleOnly] = await gates(
    `${AUTHENTICATE}\n${OWNED}`,
    [["--target", "windows"], ["--no-compile"]],
    manifest,
    UNCHECKED,
  );
  assertEquals(missing.code, 1, missing.stdout + missing.stderr);
  assertMatch(
    missing.stderr,
    /^galaxy build: NO RELEASE MADE: compile skipped for x86_64-pc-windows-msvc: /m,
  );
  assertEquals(missing.left, ["gate"]);

  assertEquals(bundleOnly.code, 0, bundleOnly.stdout + bundleOnly.stderr);
  assertMatch(bundleOnly.stdout, /^NO RELEASE MADE: --no-compile: no binary, so no zip; /m);
  assertEquals(bundleOnly.left, ["gate"]);
});

Deno.test("build hygiene: nothing of the build machine in any output, zips included; map sources resolve", async () => {
  const unique = `uniq-${crypto.randomUUID().slice(0, 8)}`;
  const parent = await Deno.makeTempDir({ prefix: unique });
  const dir = `${parent}/project`;
  await Deno.mkdir(dir);
  try {
    await integration(dir, `${AUTHENTICATE}\n${OWNED}`);
    const { stdout } = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] })
      .output();
    const denoDir = JSON.parse(new TextDecoder().decode(stdout)).denoDir as string;
    const home = Deno.env.get("HOME");
    const marks = [unique, parent, denoDir, ROOT.replace(/\/$/, ""), ...(home ? [home] : [])];
    for (const sourcesContent of [false, true]) {
      const run = await galaxyBuild(
        [".", "--no-compile", ...(sourcesContent ? ["--sources-content"] : [])],
        dir,
        UNCHECKED,
      );
      assertEquals(run.code, 0, run.stdout + run.stderr);
      const built = `${dir}/dist/gate`;
      const files = [...Deno.readDirSync(built)].map((e) => e.name);
      // The zips hold these files; make one as the release does and read it back with Python.
      const [release] = await pack({
        dir: built,
        name: "gate",
        version: "1.0.0",
        files,
        targets: ["x86_64-pc-windows-msvc"],
        binaries: [],
      });
      await Deno.writeFile(`${dir}/release.zip`, release.bytes);
      const unzipped = await new Deno.Command(python, {
        args: [
          "-c",
          "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); " +
          "sys.stdout.write(''.join(z.read(n).decode('utf-8', 'replace') for n in z.namelist()))",
          `${dir}/release.zip`,
        ],
      }).output();
      const outputs: [string, string][] = [
        ...files.map((f) => [f, Deno.readTextFileSync(`${built}/${f}`)] as [string, string]),
        ["release.zip", new TextDecoder().decode(unzipped.stdout)],
      ];
      for (const [name, text] of outputs) {
        for (const mark of marks) {
          assert(!text.includes(mark), `${name} (sourcesContent ${sourcesContent}) holds ${mark}`);
        }
      }
      const map = JSON.parse(await Deno.readTextFile(`${built}/plugin.js.map`));
      assertEquals("sourcesContent" in map, sourcesContent);
      // The project's own files resolve from the built folder to the real file.
      assert(map.sources.includes("../../plugin.ts"), map.sources.join());
      for (const source of map.sources as string[]) {
        if (/^(npm:|@galaxy-ts\/runtime\/|external\/)/.test(source)) continue;
        assert(Deno.statSync(`${built}/${source}`).isFile, source);
      }
      assert(map.sources.some((s: string) => s.startsWith("npm:valibot@")), map.sources.join());
      assert(map.sources.includes("@galaxy-ts/runtime/src/plugin/run.ts"), map.sources.join());
    }
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
