// `galaxy sim` judges as Galaxy does (protocol.md §10), against integrations under
// tests/fixtures/broken/ that break the protocol on purpose: not responding, slow shutdown,
// early pushes, refused bursts, answers past Galaxy's limits, malformed records, bad usage.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { broken, FIXTURE, sim } from "./sim_run.ts";

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
