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
  // A loaded machine may take longer than Galaxy's one second to let a process exit after
  // shutdown; the tests of that second pass --shutdown-grace 1 themselves.
  const grace = args.includes("--shutdown-grace") ? [] : ["--shutdown-grace", "10"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "sim", ...grace, ...args],
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
    /✗ protocol: start_achievements_import: no achievements_import_finished within 1\.0 s \(1 of 1 ids reported\)/,
  );
});

Deno.test("sim: a blocked event loop is not responding: named requests, shutdown, kill", async () => {
  const run = await sim(
    [
      "--import",
      "owned",
      "--ping-interval",
      "0.2",
      "--ping-timeout",
      "0.5",
      "--shutdown-grace",
      "1",
      "--fresh",
      "--no-transcript",
      broken("blocks_loop"),
    ],
    Deno.cwd(),
    { env: { BLOCK_MS: "4000" } },
  );
  assertEquals(run.code, 1);
  assertMatch(
    run.stderr,
    /✗ protocol: not responding: a ping went unanswered for 0\.5 s .*; outstanding when it stopped answering: import_owned_games \(id "4"\) for \d+\.\d s, ping \(id "\d+"\) for 0\.\d s\. Galaxy now sends shutdown and kills the process 1\.0 s later/,
  );
  assertMatch(
    run.stderr,
    /✗ protocol: the integration was still running 1\.0 s after shutdown, when Galaxy kills it; still outstanding: import_owned_games .*shutdown \(id "\d+"\)/,
  );
  // Galaxy's own end of the session is not reported again as a lost connection.
  assert(!run.stderr.includes("closed the connection during"), run.stderr);
});

Deno.test("sim: Galaxy's start-up order, ids and params, as the transcript records them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/login.json`, '{"end_uri": "http://127.0.0.1/done"}');
    const run = await sim(["--scenario", "sync", "--login", "login.json", "--fresh", FIXTURE], dir);
    assertEquals(run.code, 0, run.stdout + run.stderr);
    const sent = (await Deno.readTextFile(`${dir}/.galaxy/transcript.jsonl`)).split("\n")
      .filter(Boolean).map((line) => JSON.parse(line))
      .filter((e) => e.from === "galaxy" && e.message.method).map((e) => e.message);
    assertEquals(sent.slice(0, 9).map((m) => [m.id, m.method]), [
      ["0", "get_capabilities"],
      ["1", "initialize_cache"],
      ["2", "ping"],
      ["3", "init_authentication"],
      ["4", "pass_login_credentials"],
      ["5", "import_owned_games"],
      ["6", "import_local_games"],
      ["7", "start_game_times_import"],
      ["8", "start_os_compatibility_import"],
    ]);
    assert(sent.every((m) => typeof m.params === "object" && m.params !== null), "params always");
    assertEquals(sent.at(-1).method, "shutdown");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: real-session scenarios with the fixture: burst, re-authentication, owned again", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/login.json`, '{"end_uri": "http://127.0.0.1/done"}');
    const run = await sim(
      [
        "--scenario",
        "sync,burst,reauth,owned-again",
        "--login",
        "login.json",
        "--fresh",
        "--no-transcript",
        FIXTURE,
      ],
      dir,
    );
    assertEquals(run.code, 0, run.stdout + run.stderr);
    assertMatch(
      run.stdout,
      /✓ burst of 3 one-id start_game_times_import: 3 accepted, 3 finished, 3 received, 0 failed/,
    );
    assertEquals(run.stdout.match(/✓ authenticated as Fixture/g)?.length, 2);
    // Once in the sync, once more asked again; the burst takes the ids the sync found.
    assertEquals(run.stdout.match(/✓ import_owned_games: 3 owned games/g)?.length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const end of ["close", "reset"] as const) {
  Deno.test(`sim: the connection's ${end} ends the session normally, from --end and --script`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeTextFile(`${dir}/login.json`, '{"end_uri": "http://127.0.0.1/done"}');
      await Deno.writeTextFile(
        `${dir}/steps.json`,
        JSON.stringify([{ authenticate: true }, { end }, { import: "owned" }]),
      );
      const runs = [
        await sim(
          ["--import", "owned", "--end", end, "--login", "login.json", "--fresh", FIXTURE],
          dir,
        ),
        await sim(["--script", "steps.json", "--login", "login.json", "--fresh", FIXTURE], dir),
      ];
      for (const run of runs) {
        assertEquals(run.code, 0, run.stdout + run.stderr);
        assertMatch(
          run.stdout,
          end === "close" ? /closing the connection/ : /resetting the connection/,
        );
        assertMatch(run.stdout, /✓ the integration exited with code 0/);
        assert(!run.stdout.includes("shutdown answered"), run.stdout);
      }
      assertMatch(runs[1].stderr, /steps after step 2 not run: the session ended/);
      const sent = (await Deno.readTextFile(`${dir}/.galaxy/transcript.jsonl`)).split("\n")
        .filter(Boolean).map((line) => JSON.parse(line).message?.method);
      assert(!sent.includes("shutdown") && !sent.includes("import_owned_games"), String(sent));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("sim: after shutdown the integration has a second, then it is killed and reported", async () => {
  const run = await sim(
    [
      "--import",
      "owned",
      "--shutdown-grace",
      "1",
      "--fresh",
      "--no-transcript",
      broken("slow_shutdown"),
    ],
    Deno.cwd(),
    { env: { SHUTDOWN_MS: "5000", CACHE_KB: "1" } },
  );
  assertEquals(run.code, 1);
  assertMatch(
    run.stderr,
    /✗ protocol: the integration was still running 1\.0 s after shutdown, when Galaxy kills it; still outstanding: shutdown \(id "\d+"\) for 1\.\d s; its last output:/,
  );
});

Deno.test("sim: the cache pushed in shutdown is on disk, whole, when the simulator exits", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Lost in about 3 runs of 10 before: a .tmp left behind, or no cache at all.
    for (let i = 0; i < 5; i++) {
      const run = await sim(
        ["--import", "owned", "--no-transcript", broken("slow_shutdown")],
        dir,
        {
          env: { SHUTDOWN_MS: "0", CACHE_KB: "2048" },
        },
      );
      assertEquals(run.code, 0, run.stderr);
      const cache = JSON.parse(await Deno.readTextFile(`${dir}/.galaxy/test/cache.json`));
      assertEquals([cache.saved.length, cache.end], [2048 * 1024, "complete"]);
      assertEquals([...Deno.readDirSync(`${dir}/.galaxy/test`)].map((e) => e.name).sort(), [
        "cache.json",
      ]);
      await Deno.remove(`${dir}/.galaxy`, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: a push inside Galaxy's not-ready window is reported lost", async () => {
  const run = await sim(
    ["--import", "owned", "--fresh", "--no-transcript", broken("early_push")],
    Deno.cwd(),
  );
  assertEquals(run.code, 1);
  assertMatch(
    run.stderr,
    /✗ protocol: owned_game_added arrived (before|\d+ ms after) initialize_cache, before Galaxy's first request after it: Galaxy is not ready yet and drops it/,
  );
});

Deno.test("sim: a per-game burst refused with 600 is reported as lost data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/steps.json`,
      '[{"authenticate": true}, {"burst": "game-times", "ids": ["1", "2", "3"]}]',
    );
    const run = await sim(
      ["--script", "steps.json", "--fresh", "--no-transcript", broken("refuses_burst")],
      dir,
    );
    assertEquals(run.code, 1, run.stdout + run.stderr);
    assertMatch(
      run.stdout,
      /✗ burst of 3 one-id start_game_times_import: 1 accepted, 1 finished, 1 received, 0 failed/,
    );
    assertMatch(
      run.stderr,
      /✗ 2 of 3 one-id start_game_times_import refused \(600 Import already in progress\): Galaxy loses the game times of "2", "3"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: owned games and local sizes past Galaxy's limits are reported as timeouts", async () => {
  const owned = await sim(
    [
      "--import",
      "owned",
      "--owned-timeout",
      "0.3",
      "--fresh",
      "--no-transcript",
      broken("slow_owned"),
    ],
    Deno.cwd(),
  );
  assertEquals(owned.code, 1);
  assertMatch(
    owned.stderr,
    /✗ protocol: import_owned_games not answered within 0\.3 s: Galaxy gives up on it \(reason 'Timeout'\) and ignores the late answer/,
  );
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/login.json`, '{"end_uri": "http://127.0.0.1/done"}');
    await Deno.writeTextFile(
      `${dir}/steps.json`,
      '[{"authenticate": true}, {"import": "local-size", "ids": ["slow"]}]',
    );
    const size = await sim(
      [
        "--script",
        "steps.json",
        "--login",
        "login.json",
        "--local-size-timeout",
        "0.05",
        "--fresh",
        "--no-transcript",
        FIXTURE,
      ],
      dir,
    );
    assertEquals(size.code, 1);
    assertMatch(size.stderr, /✗ protocol: start_local_size_import: no local_size_import_finished/);
    assertMatch(
      size.stderr,
      /Galaxy declares an integration crashed when its local-size import runs about/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim: nothing it prints or records shows kept credentials or the login's end", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/.galaxy/test`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/.galaxy/test/credentials.json`,
      JSON.stringify({ token: "kept-token-5e1f0a" }),
    );
    // A transcript left by an older run, readable by all: tightened.
    await Deno.writeTextFile(`${dir}/.galaxy/transcript.jsonl`, "", { mode: 0o644 });
    await Deno.chmod(`${dir}/.galaxy/transcript.jsonl`, 0o644);
    const echo = await sim(["--import", "owned", "--json", broken("echo_secrets")], dir);
    assertEquals(echo.code, 1);
    assertMatch(
      echo.stderr,
      /init_authentication answered error 100 Invalid credentials: token \*\*\*\*/,
    );
    const all = echo.stdout + echo.stderr +
      await Deno.readTextFile(`${dir}/.galaxy/transcript.jsonl`);
    assert(!all.includes("kept-token-5e1f0a"), all);
    if (Deno.build.os !== "windows") {
      assertEquals((await Deno.stat(`${dir}/.galaxy/transcript.jsonl`)).mode! & 0o777, 0o600);
    }

    // An end URI that does not match: the warning names it, its host and path readable and
    // its query value masked.
    await Deno.writeTextFile(
      `${dir}/login.json`,
      JSON.stringify({
        end_uri: `http://127.0.0.1/finish?code=${SECRET_CODE}`,
        cookies: [{ name: "sid", value: SECRET_COOKIE }],
      }),
    );
    const login = await sim(
      ["--import", "owned", "--login", "login.json", "--fresh", "--verbose", FIXTURE],
      dir,
    );
    assertMatch(
      login.stderr,
      /warning: http:\/\/127\.0\.0\.1\/finish\?code=\*\*\*\* does not match end_uri_regex/,
    );
    const shown = login.stdout + login.stderr;
    assert(!shown.includes(SECRET_CODE) && !shown.includes(SECRET_COOKIE), shown);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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
    const scenario = await sim(["--scenario", "sync,nope"], dir);
    assertEquals(scenario.code, 1);
    assertMatch(scenario.stderr, /--scenario: unknown scenario "nope"; choose from sync, burst/);
    const end = await sim(["--end", "sideways"], dir);
    assertEquals(end.code, 2);
    assertEquals(
      end.stderr.trim(),
      'galaxy sim: --end takes one of shutdown, close, reset, not "sideways"',
    );
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
