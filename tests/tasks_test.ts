// Background tasks and the ways a process is asked to stop, under runPlugin (a real
// process over TCP) and under the testing kit (in-process) alike.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { FakeGalaxy } from "./fake_galaxy.ts";
import { connect } from "../src/testing/mod.ts";
import { setLogSink } from "../src/log/mod.ts";
import { LicenseType, Platform, Plugin } from "../mod.ts";
import { WithTasks } from "./fixtures/faulty/tasks.ts";
import { InProcessGalaxy } from "./in_process.ts";

// A passing run prints nothing; tests that read the log install their own sink.
setLogSink(() => {});

const fixture = new URL("./fixtures/faulty/tasks.ts", import.meta.url).pathname;
const command = [Deno.execPath(), "run", "-A", fixture];
const saves = [
  Deno.execPath(),
  "run",
  "-A",
  new URL("./fixtures/faulty/saves_on_shutdown.ts", import.meta.url).pathname,
];

Deno.test("runPlugin: a failing task is logged with its name; tasks are aborted at shutdown", async () => {
  const g = await FakeGalaxy.start({ command });
  try {
    await g.handshake();
    // The session goes on after the task's failure.
    const owned = await g.request("import_owned_games");
    assertEquals(owned.result.owned_games[0].game_id, "1");
    const bye = await g.request("shutdown");
    const aborted = g.notifications("owned_game_updated")[0];
    assertEquals(aborted?.params.owned_game.game_title, "aborted");
    assert(g.received.indexOf(aborted) < g.received.indexOf(bye), "the task's push came first");
    assertEquals(await g.exitCode(), 0);
    assertMatch(
      g.stderr,
      /ERROR galaxy\.plugin: Background task doomed failed: .*task failed on purpose/,
    );
    assert(!/Unhandled|Uncaught/i.test(g.stderr), g.stderr.slice(-2000));
  } finally {
    await g.dispose();
  }
});

Deno.test("testing kit: a failing task is logged with its name, never fails the test", async () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  const plugin = new WithTasks();
  try {
    const galaxy = await connect(plugin);
    assertEquals((await galaxy.importOwnedGames())[0].gameId, "1");
    await galaxy.close();
  } finally {
    setLogSink(previous);
  }
  assert(plugin.aborted, "the task saw its abort at shutdown");
  assert(lines.some((l) => /ERROR .*Background task doomed failed/.test(l)), lines.join(""));
});

Deno.test("a push after the session ended is dropped with one line, never thrown", async () => {
  const plugin = new (class extends Plugin {})(Platform.Generic, "1.0.0");
  const galaxy = await InProcessGalaxy.serve(plugin);
  await galaxy.close();
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const game = { gameId: "1", gameTitle: "x", licenseInfo: { licenseType: LicenseType.Unknown } };
    await plugin.addGame(game);
    await plugin.pushCache();
  } finally {
    setLogSink(previous);
  }
  const said = lines.filter((l) => / (WARNING|ERROR) /.test(l));
  assertEquals(said.length, 1, lines.join(""));
  assertMatch(said[0], /Not sent: owned_game_added: the session with Galaxy has ended/);
});

const signals: Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT"]
  : ["SIGTERM", "SIGINT", "SIGHUP"];
for (const signal of signals) {
  Deno.test(`${signal}: the shutdown hook runs, its cache push is written, exit 0`, async () => {
    const g = await FakeGalaxy.start({ command: saves });
    try {
      await g.handshake();
      await g.request("ping");
      g.process.kill(signal);
      const cache = await g.waitFor((m) => m.method === "push_cache");
      assertEquals(cache.params.data.saved, "on shutdown");
      assertEquals(await g.exitCode(), 0);
      assert(!/ERROR|CRITICAL/.test(g.stderr), g.stderr.slice(-2000));
    } finally {
      await g.dispose();
    }
  });
}
