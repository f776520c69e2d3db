// `galaxy sim` as a user runs it: a real CLI process starting a real integration process,
// against the fixture and against integrations that break the protocol on purpose.
import { assert, assertEquals, assertMatch } from "./assert.ts";

const CLI = new URL("../src/cli/main.ts", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/fixture_plugin.ts", import.meta.url).pathname;
const broken = (name: string) => new URL(`./fixtures/broken/${name}.ts`, import.meta.url).pathname;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function sim(
  args: string[],
  cwd: string,
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "sim", ...args],
    cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

const SECRET_CODE = "login-code-5f2a9c";
const SECRET_COOKIE = "cookie-value-81be77";

Deno.test("sim: scripted session keeps state, masks secrets, shows progress, replays", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/.galaxy/test`, { recursive: true });
    await Deno.writeTextFile(`${dir}/.galaxy/test/cache.json`, '{"greeting": "kept cache"}');
    await Deno.writeTextFile(
      `${dir}/login.json`,
      JSON.stringify({
        end_uri: `http://127.0.0.1/done?code=${SECRET_CODE}`,
        cookies: [{ name: "sid", value: SECRET_COOKIE }],
      }),
    );
    await Deno.writeTextFile(
      `${dir}/steps.json`,
      JSON.stringify([
        { authenticate: true },
        { import: "owned" },
        { import: "game-times", ids: ["g1", "slow", "backend_error"] },
        { action: "launch_game", gameId: "g1" },
        { call: "import_friends" },
      ]),
    );
    const first = await sim(
      ["--script", "steps.json", "--login", "login.json", "--json", "--progress", "0.05", FIXTURE],
      dir,
    );
    assertEquals(first.code, 0, first.stderr);
    const report = JSON.parse(first.stdout);
    assertEquals(report.violations, []);
    assertEquals(report.steps.map((s: { step: string }) => s.step), [
      "authenticate",
      "import_owned_games",
      "start_game_times_import",
      "launch_game",
      "import_friends",
    ]);
    assertEquals(report.steps[1].result.length, 3);
    assertEquals(report.steps[2].result.values.slow.timePlayed, 0);
    assertEquals(report.steps[2].result.errors.backend_error.code, 4);
    // The readable report goes to stderr with --json: the cache greeting, the login, progress.
    assertMatch(first.stderr, /owned_game_added .*kept cache/);
    assertMatch(first.stderr, /login needed \(web_session\)/);
    assertMatch(first.stderr, /… game times: \d\/3 ids received/);
    assertEquals(
      JSON.parse(await Deno.readTextFile(`${dir}/.galaxy/test/credentials.json`)),
      { token: "ok" },
    );
    const transcript = await Deno.readTextFile(`${dir}/.galaxy/transcript.jsonl`);
    assert(!transcript.includes(SECRET_CODE) && !transcript.includes(SECRET_COOKIE));
    assertMatch(transcript, /"credentials":"\*\*\*\*","cookies":"\*\*\*\*"/);
    assertMatch(transcript, /"store_credentials","params":{"token":"\*\*\*\*"}/);

    // The credentials are kept: no login this time; the recorded answers are reproduced.
    const replay = await sim(
      ["--replay", ".galaxy/transcript.jsonl", "--no-transcript", FIXTURE],
      dir,
    );
    assertEquals(replay.code, 0, replay.stdout + replay.stderr);
    assertMatch(replay.stdout, /authenticated as Fixture \(user id u1\) with the kept credentials/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: interactive login and menu from stdin", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await sim(["--fresh", "--no-transcript", FIXTURE], dir, {
      stdin: "http://127.0.0.1/done\n\n1\nq\n",
    });
    assertEquals(run.code, 0, run.stderr);
    assertMatch(run.stdout, /Open http:\/\/127\.0\.0\.1\/login in a browser/);
    assertMatch(run.stdout, /import_owned_games: 3 owned games/);
    assertMatch(run.stdout, /import achievements/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: an import that never finishes is reported, exit 1", async () => {
  const run = await sim(
    [
      "--import",
      "achievements",
      "--timeout",
      "1",
      "--fresh",
      "--no-transcript",
      broken("no_import_finished"),
    ],
    Deno.cwd(),
  );
  assertEquals(run.code, 1);
  assertMatch(
    run.stderr,
    /✗ protocol: start_achievements_import: no achievements_import_finished within 1 s \(1 of 1 ids reported\)/,
  );
});

Deno.test("sim: a blocked event loop is reported by ping, exit 1", async () => {
  const run = await sim(
    [
      "--import",
      "owned",
      "--ping-interval",
      "0.2",
      "--ping-timeout",
      "0.5",
      "--fresh",
      "--no-transcript",
      broken("blocks_loop"),
    ],
    Deno.cwd(),
    { env: { BLOCK_MS: "2000" } },
  );
  assertEquals(run.code, 1);
  assertMatch(run.stderr, /✗ protocol: ping not answered within 0\.5 s: .*event loop is blocked/);
});

Deno.test("sim: malformed records and unknown notifications are reported, exit 1", async () => {
  const run = await sim(
    ["--import", "owned", "--fresh", "--no-transcript", broken("malformed_record")],
    Deno.cwd(),
  );
  assertEquals(run.code, 1);
  assertMatch(
    run.stderr,
    /import_owned_games answered a malformed result: owned_games\[1\]\.game_title: Invalid type: Expected string but received 2; owned_games\[1\]\.license_info: missing \(required\)/,
  );
  assertMatch(
    run.stderr,
    /owned_game_added with malformed params: owned_game\.game_title: missing/,
  );
  assertMatch(run.stderr, /unknown notification game_added/);
});

Deno.test("sim: wrong usage gets one clear line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const unknown = await sim(["--import", "owned,gams"], dir);
    assertEquals(unknown.code, 1);
    assertMatch(unknown.stderr, /--import: unknown import "gams"; choose from owned, local/);
    const flag = await sim(["--bogus"], dir);
    assertEquals(flag.code, 2);
    assertEquals(flag.stderr.trim(), "galaxy sim: Unknown option '--bogus'; see galaxy sim --help");
    await Deno.writeTextFile(`${dir}/steps.json`, '[{"import": "owned"}, {"launch": "g1"}]');
    const script = await sim(["--script", "steps.json"], dir);
    assertEquals(script.code, 1);
    assertMatch(script.stderr, /steps\.json: step 2 \({"launch":"g1"}\) is not a step/);
    const none = await sim(["--import", "owned"], dir);
    assertEquals(none.code, 1);
    assertMatch(none.stderr, /no integration command given and no \.\/manifest\.json/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: runs a built integration folder through its python launcher", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fixtures = new URL("./fixtures", import.meta.url).pathname;
    const build = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "build", fixtures, "--no-compile", "--out", `${dir}/dist`],
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
