// GalaxyPeer against hand-written integrations that break the protocol on purpose: each
// violation must be found and described.
import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { readLines, type Transport } from "../wire/mod.ts";
import { GalaxyPeer } from "./galaxy_peer.ts";
import { ViolationKind } from "./peer_types.ts";
import { memoryPipe } from "./memory_transport.ts";
import { setLogSink } from "../log/mod.ts";

// The in-process runtime logs what it serves; a passing run prints only the runner's lines.
setLogSink(() => {});

type Reply = (line: string) => void;

/** An integration written by hand: `onMessage` gets each parsed message and a writer. */
function rawIntegration(
  end: Transport,
  onMessage: (message: Record<string, unknown>, send: Reply) => void,
): Promise<void> {
  const send: Reply = (line) => void end.write(new TextEncoder().encode(line + "\n"));
  return readLines(end, (bytes) => {
    onMessage(JSON.parse(new TextDecoder().decode(bytes)), send);
  });
}

/** Waits until `done()` holds; fails (instead of hanging) when it does not within 5 s. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`still waiting after 5 s: ${what()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const answer = (id: unknown, result: unknown) => JSON.stringify({ jsonrpc: "2.0", id, result });
const notification = (method: string, params: unknown) =>
  JSON.stringify({ jsonrpc: "2.0", method, params });

Deno.test("peer: malformed records, unknown notifications, stray answers, bad lines", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const integration = rawIntegration(pluginEnd, (m, send) => {
    if (m.method !== "import_owned_games") return;
    send(answer(m.id, { owned_games: [{ game_id: "1", game_title: 7, license_info: {} }] }));
    send(notification("owned_game_added", { owned_game: { game_id: "2" } }));
    send(notification("game_added", { id: 1 }));
    send(answer(99, null));
    send("{not json");
    send(JSON.stringify({ id: 5, result: null }));
  });
  const peer = new GalaxyPeer(galaxyEnd);
  const owned = await peer.request("import_owned_games", undefined, 5000);
  assertEquals(owned.value, undefined);
  assertMatch(owned.problems![0], /^owned_games\[0\]\.game_title: .*Expected string/);
  await peer.waitForNotification((n) => n.method === "game_added", 5000);
  await until(() => peer.violations.length >= 6, () => JSON.stringify(peer.violations));
  assertEquals(peer.violations.map((v) => v.kind), [
    ViolationKind.InvalidAnswer,
    ViolationKind.InvalidNotification,
    ViolationKind.UnknownNotification,
    ViolationKind.UnknownId,
    ViolationKind.Malformed,
    ViolationKind.Malformed,
  ]);
  assertMatch(peer.violations[1].message, /owned_game\.game_title: missing \(required\)/);
  assertMatch(peer.violations[1].message, /owned_game\.license_info: missing/);
  assertMatch(peer.violations[3].message, /id 99/);
  peer.close();
  await integration;
});

Deno.test("peer: import without *_import_finished, stray ids, unanswered ping", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const integration = rawIntegration(pluginEnd, (m, send) => {
    if (m.method === "start_game_times_import") {
      send(answer(m.id, null));
      send(notification("game_time_import_success", { game_time: { game_id: "a" } }));
      send(notification("game_time_import_success", { game_time: { game_id: "zzz" } }));
    }
    // ping: never answered, as if the loop were blocked.
  });
  const peer = new GalaxyPeer(galaxyEnd);
  const progress: number[] = [];
  const run = await peer.startImport(
    "start_game_times_import",
    ["a", "b"],
    200,
    (r) => progress.push(Object.keys(r.values).length),
  );
  assertEquals(run.finished, false);
  assertEquals(run.values, { a: { gameId: "a" }, zzz: { gameId: "zzz" } });
  assertEquals(progress, [1, 2]);
  const missing = peer.violations.find((v) => v.kind === ViolationKind.MissingFinished);
  assertMatch(missing!.message, /no game_times_import_finished within 0\.2 s \(2 of 2 ids/);
  assert(peer.violations.some((v) => /"zzz", which was not asked for/.test(v.message)));

  const ping = await peer.request("ping", undefined, 100).catch((e) => e);
  assertMatch(String(ping), /ping not answered within 0\.1 s: .*event loop is blocked/);
  peer.close();
  await integration;
});

Deno.test("peer: refresh_credentials answered, unknown requests refused", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const answers: unknown[] = [];
  const integration = rawIntegration(pluginEnd, (m) => void answers.push(m));
  const peer = new GalaxyPeer(galaxyEnd, {
    onRequest: (_method, params) => ({ echoed: params }),
  });
  const send = (line: string) => pluginEnd.write(new TextEncoder().encode(line + "\n"));
  await send(
    JSON.stringify({ jsonrpc: "2.0", id: "1", method: "refresh_credentials", params: {} }),
  );
  await send(JSON.stringify({ jsonrpc: "2.0", id: "2", method: "steal_cookies", params: {} }));
  await until(() => answers.length >= 2, () => JSON.stringify(answers));
  assertEquals(answers[0], { jsonrpc: "2.0", id: "1", result: { echoed: {} } });
  assertEquals((answers[1] as { error: { code: number } }).error.code, -32601);
  assertEquals(peer.violations.map((v) => v.kind), [ViolationKind.UnknownRequest]);
  peer.close();
  await integration;
});

Deno.test('peer: speaks as Galaxy does: string ids from "0", params always, one write per turn', async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const peer = new GalaxyPeer(galaxyEnd);
  void peer.request("get_capabilities").catch(() => {});
  void peer.request("import_owned_games").catch(() => {});
  void peer.notify("launch_platform_client");
  const buf = new Uint8Array(4096);
  const n = await pluginEnd.read(buf);
  // Everything sent in one turn of the event loop arrives as one write.
  assertEquals(new TextDecoder().decode(buf.subarray(0, n!)).split("\n"), [
    '{"jsonrpc":"2.0","id":"0","method":"get_capabilities","params":{}}',
    '{"jsonrpc":"2.0","id":"1","method":"import_owned_games","params":{}}',
    '{"jsonrpc":"2.0","method":"launch_platform_client","params":{}}',
    "",
  ]);
  assertEquals(peer.outstanding().map((o) => [o.id, o.method]), [
    ["0", "get_capabilities"],
    ["1", "import_owned_games"],
  ]);
  peer.close();
});

Deno.test("peer: one outcome per id: a second success or failure, or one after the other", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const time = (id: string) =>
    notification("game_time_import_success", { game_time: { game_id: id } });
  const failure = (id: string) =>
    notification("game_time_import_failure", { game_id: id, error: { code: 4, message: "x" } });
  const integration = rawIntegration(pluginEnd, (m, send) => {
    if (m.method === "start_game_times_import") {
      send(answer(m.id, null));
      for (const line of [time("a"), failure("a"), failure("b"), failure("b"), time("c")]) {
        send(line);
      }
      send(time("c"));
      send(failure("d"));
      send(time("d"));
      send(notification("game_times_import_finished", {}));
    }
    if (m.method === "start_subscription_games_import") {
      const page = (id: string) =>
        notification("subscription_games_import_success", {
          subscription_name: "Pass",
          subscription_games: [{ game_title: id, game_id: id }],
        });
      send(answer(m.id, null));
      send(page("1"));
      send(page("2"));
      // A failure after pages is how a pages import that broke off ends: not a violation.
      send(notification("subscription_games_import_failure", {
        subscription_name: "Pass",
        error: { code: 4, message: "x" },
      }));
      send(
        notification("subscription_games_partial_import_finished", { subscription_name: "Pass" }),
      );
      send(notification("subscription_games_import_finished", {}));
    }
  });
  const peer = new GalaxyPeer(galaxyEnd);
  const run = await peer.startImport("start_game_times_import", ["a", "b", "c", "d"], 5000);
  assert(run.finished);
  assertEquals(peer.violations.map((v) => v.message), [
    'game_time_import_failure for "a" after a success for it: Galaxy takes one outcome per id',
    'game_time_import_failure for "b" after a failure for it: Galaxy takes one outcome per id',
    'game_time_import_success for "c" after a success for it: Galaxy takes one outcome per id',
    'game_time_import_success for "d" after a failure for it: Galaxy takes one outcome per id',
  ]);
  assertEquals(new Set(peer.violations.map((v) => v.kind)), new Set([ViolationKind.RepeatedId]));
  const pages = await peer.startImport("start_subscription_games_import", ["Pass"], 5000);
  assertEquals(
    (pages.values.Pass as { gameId: string }[]).map((g) => g.gameId),
    ["1", "2"],
  );
  assertEquals(peer.violations.length, 4);
  peer.close();
  await integration;
});

Deno.test("peer: a burst of one-id imports: each run gets its own ids, in arrival order", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const asked: string[][] = [];
  const integration = rawIntegration(pluginEnd, (m, send) => {
    if (m.method !== "start_game_times_import") return;
    send(answer(m.id, null));
    asked.push((m.params as { game_ids: string[] }).game_ids);
    if (asked.length < 3) return;
    // Run one after another, as the runtime's queue does.
    for (const [id] of asked) {
      send(notification("game_time_import_success", { game_time: { game_id: id } }));
      send(notification("game_times_import_finished", {}));
    }
  });
  const peer = new GalaxyPeer(galaxyEnd);
  const runs = await Promise.all(
    ["g1", "g2", "g3"].map((id) => peer.startImport("start_game_times_import", [id], 5000)),
  );
  assertEquals(runs.map((r) => Object.keys(r.values)), [["g1"], ["g2"], ["g3"]]);
  assertEquals(runs.map((r) => r.finished), [true, true, true]);
  assertEquals(peer.violations, []);
  peer.close();
  await integration;
});
