// Faults on either side of the socket: Galaxy going away, integrations that hang, throw
// anything, tick badly or flood; a port nobody listens on. Each runs a real process over TCP.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { FakeGalaxy, type Message } from "./fake_galaxy.ts";
import { THROWN } from "./fixtures/faulty/throws_non_errors.ts";

const faulty = (name: string) => new URL(`./fixtures/faulty/${name}`, import.meta.url).pathname;
const run = (name: string, ...flags: string[]) => [
  Deno.execPath(),
  "run",
  "-A",
  ...flags,
  faulty(name),
];

/** Resolves with `promise`, or fails when it takes longer than `ms` (a hang, not a timing). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nothing escaped: no unhandled rejection, no uncaught exception. */
function assertNothingEscaped(stderr: string): void {
  assert(!/Unhandled promise rejection/i.test(stderr), stderr.slice(-3000));
  assert(!/Uncaught/.test(stderr), stderr.slice(-3000));
}

Deno.test("Galaxy closes the socket mid-import: exit 0 at once, nothing unhandled", async () => {
  const g = await FakeGalaxy.start();
  try {
    await g.handshake();
    await g.send({
      jsonrpc: "2.0",
      id: "sizes",
      method: "start_local_size_import",
      params: { game_ids: Array(50).fill("slow") },
    });
    await g.send({
      jsonrpc: "2.0",
      id: "times",
      method: "start_game_times_import",
      params: { game_ids: ["slow", "g1", "slow"] },
    });
    await g.send({
      jsonrpc: "2.0",
      id: "auth",
      method: "init_authentication",
      params: { stored_credentials: { token: "refresh" } },
    });
    await g.response("sizes");
    await g.waitFor((m) => m.method === "local_size_import_success");
    await g.waitFor((m) => m.method === "refresh_credentials");
    g.closeSocket();
    assertEquals(await within(g.exitCode(), 5_000, "exit after end of stream"), 0);
    assertEquals(g.notifications("local_size_import_finished").length, 0);
    assertNothingEscaped(g.stderr);
  } finally {
    await g.dispose();
  }
});

Deno.test("shutdown in the same write as an import start: answered, exit 0, no finish", async () => {
  // The reference never exits here: its task table keeps a task cancelled before its first step.
  const g = await FakeGalaxy.start();
  try {
    await g.handshake();
    await g.sendRaw(
      '{"jsonrpc":"2.0","id":"start","method":"start_game_times_import",' +
        '"params":{"game_ids":["slow","g1"]}}\n{"jsonrpc":"2.0","id":"bye","method":"shutdown"}\n',
    );
    const start = await g.waitFor((m) => m.id === "start");
    assert(start.result === null || start.error?.code === -32001, JSON.stringify(start));
    assertEquals((await g.waitFor((m) => m.id === "bye")).result, null);
    assertEquals(await within(g.exitCode(), 5_000, "exit after shutdown"), 0);
    assertEquals(g.notifications("game_times_import_finished").length, 0);
    assertNothingEscaped(g.stderr);
  } finally {
    await g.dispose();
  }
});

Deno.test({
  name: "shutdown hangs: running requests answered -32001 at once, exit 0 within the limit",
  async fn() {
    const g = await FakeGalaxy.start({ command: run("hanging_shutdown.ts") });
    try {
      await g.handshake();
      await g.send({ jsonrpc: "2.0", id: "running", method: "import_owned_games" });
      await g.send({ jsonrpc: "2.0", id: "bye", method: "shutdown" });
      const aborted = await g.waitFor((m) => m.id === "running", 5_000);
      assertEquals(aborted.error.code, -32001);
      assertEquals(aborted.error.data.internal_type, "Aborted");
      // The fixture sets a 1 s limit (runPlugin's shutdownTimeoutMs).
      const answer = await g.waitFor((m) => m.id === "bye", 15_000);
      assertEquals(answer.result, null);
      assertEquals(await within(g.exitCode(), 5_000, "exit after shutdown"), 0);
      assert(g.received.indexOf(aborted) < g.received.indexOf(answer));
      assertMatch(g.stderr, /shutdown did not finish in 1000 ms/);
      assertMatch(g.stderr, /WARNING .*shutdown ran \d+ ms; Galaxy kills/);
      assertNothingEscaped(g.stderr);
    } finally {
      await g.dispose();
    }
  },
});

Deno.test("what the shutdown hook pushes is on the wire before the shutdown answer", async () => {
  const g = await FakeGalaxy.start({ command: run("saves_on_shutdown.ts") });
  try {
    await g.handshake();
    await g.send({ jsonrpc: "2.0", id: "bye", method: "shutdown", params: {} });
    const answer = await g.waitFor((m) => m.id === "bye");
    assertEquals(answer.result, null);
    const cache = g.notifications("push_cache")[0];
    const credentials = g.notifications("store_credentials")[0];
    assertEquals(cache?.params.data.saved, "on shutdown");
    assertEquals(credentials?.params, { token: "refreshed" });
    assert(g.received.indexOf(cache) < g.received.indexOf(answer), "cache before the answer");
    assert(g.received.indexOf(credentials) < g.received.indexOf(answer));
    assertEquals(await within(g.exitCode(), 5_000, "exit after shutdown"), 0);
    assertNothingEscaped(g.stderr);
  } finally {
    await g.dispose();
  }
});

Deno.test("handlers throwing non-Error values get code 0 answers; the loop keeps serving", async () => {
  const g = await FakeGalaxy.start({ command: run("throws_non_errors.ts") });
  try {
    await g.handshake();
    for (const name of Object.keys(THROWN)) {
      const answer = await g.request("init_authentication", {
        stored_credentials: { throw: name },
      });
      const galaxyError = name === "badErrorData";
      assertEquals(answer.error?.code, galaxyError ? 4 : 0, `${name}: ${JSON.stringify(answer)}`);
      assertEquals(typeof answer.error.message, "string", name);
      assertEquals(answer.error.data.internal_type, galaxyError ? "BackendError" : "UnknownError");
    }
    const names = Object.keys(THROWN);
    const started = await g.request("start_game_times_import", { game_ids: names });
    assertEquals(started.result, null);
    await g.waitFor((m) => m.method === "game_times_import_finished");
    const failures = g.notifications("game_time_import_failure");
    assertEquals(failures.map((m) => m.params.game_id).sort(), [...names].sort());
    for (const f of failures) assertEquals(f.params.error.code, 0);
    const friends = await g.request("import_friends");
    assertEquals(friends.error?.code, 0, JSON.stringify(friends));
    // Ticks reject with a Symbol every second meanwhile; the session goes on.
    await sleep(1500);
    assertEquals((await g.request("ping")).result, null);
    assertEquals(await g.stop(), 0);
    assertNothingEscaped(g.stderr);
    // Each hook's failure is logged as such (a bare /shutdown/ would match the request line).
    for (const hook of ["handshakeComplete", "tick", "shutdown"]) {
      assertMatch(
        g.stderr,
        new RegExp(`ERROR galaxy\\.plugin: Unexpected exception raised in ${hook}: `),
      );
    }
  } finally {
    await g.dispose();
  }
});

for (const mode of ["throw", "reject"]) {
  Deno.test(`tick that ${mode}s every time: logged each time, never fatal`, async () => {
    const g = await FakeGalaxy.start({ command: run("bad_tick.ts"), env: { TICK: mode } });
    try {
      await g.handshake();
      await within(
        g.waitFor((m) => m.params?.owned_game?.game_title === "tick 3", 15_000),
        20_000,
        "the third tick",
      );
      assertEquals((await g.request("ping")).result, null);
      assertEquals(await g.stop(), 0);
      assert((g.stderr.match(/tick \d failed/g) ?? []).length >= 3, g.stderr.slice(-2000));
      assertNothingEscaped(g.stderr);
    } finally {
      await g.dispose();
    }
  });
}

Deno.test("tick that never resolves: never called again, the heap does not grow", async () => {
  const g = await FakeGalaxy.start({
    command: run("bad_tick.ts", "--v8-flags=--expose-gc"),
    env: { TICK: "hang" },
  });
  const heap = async () => {
    const answer = await g.request("import_owned_games");
    return Number(answer.result.owned_games[0].game_title);
  };
  try {
    await g.handshake();
    await g.waitFor((m) => m.params?.owned_game?.game_title === "tick 1");
    const before = await heap();
    // Three more tick periods (the fixture ticks every 100 ms): a tick that overlapped
    // itself would have been called again.
    await sleep(350);
    const after = await heap();
    const ticks = g.notifications("owned_game_updated").filter((m) =>
      m.params.owned_game.game_id === "tick"
    );
    assertEquals(ticks.length, 1);
    // Each overlapping tick would hold 800 KB more.
    assert(after - before < 512 * 1024, `heap grew from ${before} to ${after}`);
    assertEquals(await g.stop(), 0);
    assertNothingEscaped(g.stderr);
  } finally {
    await g.dispose();
  }
});

Deno.test("a flood of pushes during imports: every message whole, in per-source order", async () => {
  const N = 5000;
  const g = await FakeGalaxy.start({ command: run("flood.ts"), env: { FLOOD: String(N) } });
  try {
    await g.request("get_capabilities");
    await g.send({ jsonrpc: "2.0", id: "cache", method: "initialize_cache", params: { data: {} } });
    await g.send({ jsonrpc: "2.0", id: "owned", method: "import_owned_games" });
    await g.send({
      jsonrpc: "2.0",
      id: "times",
      method: "start_game_times_import",
      params: { game_ids: Array.from({ length: N }, (_, i) => `t${i}`) },
    });
    const owned = await g.response("owned");
    assertEquals(owned.result.owned_games.length, N);
    assertEquals((await g.response("times")).result, null);
    const last = (m: Message, id: string) => m.params?.owned_game?.game_id === id;
    await g.waitFor((m) => last(m, `a${N - 1}`), 30_000);
    await g.waitFor((m) => last(m, `b${N - 1}`), 30_000);
    await g.waitFor((m) => m.method === "game_times_import_finished", 30_000);
    // Every line parsed (the fake Galaxy stops reading at the first broken one).
    assertEquals(g.lines.length, g.received.length);
    const ids = (method: string, prefix: string) =>
      g.notifications(method).map((m) => m.params.owned_game.game_id as string)
        .filter((id) => id.startsWith(prefix)).map((id) => Number(id.slice(1)));
    const inOrder = Array.from({ length: N }, (_, i) => i);
    assertEquals(ids("owned_game_added", "a"), inOrder);
    assertEquals(ids("owned_game_updated", "b"), inOrder);
    const times = g.notifications("game_time_import_success");
    assertEquals(times.length, N);
    const finished = g.received.findIndex((m) => m.method === "game_times_import_finished");
    assert(g.received.indexOf(times[times.length - 1]) < finished, "finish comes last");
    assertEquals(await g.stop(), 0);
  } finally {
    await g.dispose();
  }
});

Deno.test("a port nobody listens on: exit 5 with a one-line reason", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const fixture = new URL("./fixtures/fixture_plugin.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fixture, "token", String(port)],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assertEquals(out.code, 5);
  assertEquals(stderr.split("\n").length, 1, stderr);
  assertMatch(stderr, new RegExp(`CRITICAL .*127\\.0\\.0\\.1:${port}.*refused`, "i"));
  assert(!stderr.includes(" at "), `a stack trace instead of a reason: ${stderr}`);
});
