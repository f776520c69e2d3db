// End-to-end: the fixture integration as a real process, driven over real TCP by the fake
// Galaxy, checked message for message against protocol.md and fixture-plugin.md.
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { FakeGalaxy, type Message } from "./fake_galaxy.ts";

const ALL_FEATURES = [
  "ImportOwnedGames",
  "ImportInstalledGames",
  "LaunchGame",
  "InstallGame",
  "UninstallGame",
  "ImportAchievements",
  "ImportGameTime",
  "ImportFriends",
  "ShutdownPlatformClient",
  "LaunchPlatformClient",
  "ImportGameLibrarySettings",
  "ImportOSCompatibility",
  "ImportUserPresence",
  "ImportLocalSize",
  "ImportSubscriptions",
  "ImportSubscriptionGames",
];

async function session(
  fn: (g: FakeGalaxy) => Promise<void>,
  env: Record<string, string> = {},
): Promise<FakeGalaxy> {
  const galaxy = await FakeGalaxy.start({ env });
  try {
    await fn(galaxy);
    assertEquals(await galaxy.stop(), 0, galaxy.stderr);
  } finally {
    await galaxy.dispose();
  }
  return galaxy;
}

Deno.test("handshake: a handshake_complete push is held until Galaxy's next message", async () => {
  await session(async (g) => {
    const caps = await g.request("get_capabilities");
    assertEquals(caps.result.platform_name, "test");
    assertEquals(caps.result.token, g.token);
    assertEquals([...caps.result.features].sort(), [...ALL_FEATURES].sort());
    // As the real client does (§10): the cache, then a ping at once, in one write.
    await g.sendRaw(
      JSON.stringify({
        jsonrpc: "2.0",
        id: "c",
        method: "initialize_cache",
        params: { data: { greeting: "hi" } },
      }) + "\n" + JSON.stringify({ jsonrpc: "2.0", id: "p", method: "ping", params: {} }) + "\n",
    );
    const answer = await g.response("c");
    const pong = await g.response("p");
    assertEquals(answer.result, null);
    const pushed = g.received.findIndex((m) => m.method === "owned_game_added");
    // Not before the cache's answer (Galaxy would drop it); released by the ping.
    assert(pushed > g.received.indexOf(answer), "the push follows the cache's answer");
    assert(pushed < g.received.indexOf(pong), "the ping released it");
    assertEquals(g.received[pushed].params, {
      owned_game: {
        game_id: "cache",
        game_title: "hi",
        license_info: { license_type: "FreeToPlay" },
      },
    });
  });
});

Deno.test("handshake: with no next message, held pushes go out after a delay", async () => {
  await session(async (g) => {
    await g.request("get_capabilities");
    const answer = await g.request("initialize_cache", { data: { greeting: "late" } });
    const push = await g.waitFor((m) => m.method === "owned_game_added");
    assertEquals(push.params.owned_game.game_title, "late");
    assert(g.received.indexOf(push) > g.received.indexOf(answer));
  });
});

Deno.test("login variants Galaxy sends are served: empty step, credentials absent/null/{}, retry", async () => {
  await session(async (g) => {
    await g.handshake();
    // Imports before any authentication are served.
    const owned = await g.request("import_owned_games");
    assertEquals(owned.result.owned_games.length, 3);
    for (
      const params of [undefined, {}, { stored_credentials: null }, { stored_credentials: {} }]
    ) {
      const step = await g.request("init_authentication", params);
      assertEquals(step.result?.next_step, "web_session", JSON.stringify(params));
    }
    const user = { user_id: "u1", user_name: "Fixture" };
    const login = await g.request("pass_login_credentials", {
      step: "",
      credentials: { end_uri: "http://127.0.0.1/done" },
      cookies: [],
    });
    assertEquals(login.result, user);
    // A second init_authentication mid-session (the user clicked Retry).
    const again = await g.request("init_authentication", { stored_credentials: { token: "ok" } });
    assertEquals(again.result, user);
  });
});

Deno.test("legacy abort_authentication is ignored quietly: no warning, the session goes on", async () => {
  const g = await session(async (g) => {
    await g.handshake();
    await g.notify("abort_authentication", {});
    assertEquals((await g.request("ping")).result, null);
  });
  assert(!/WARNING|ERROR|CRITICAL/.test(g.stderr), g.stderr.slice(-2000));
  assertMatch(g.stderr, /DEBUG galaxy\.plugin: Ignored abort_authentication/);
  // Its arrival is a debug line too: at info level nothing of it is written.
  assertMatch(
    g.stderr,
    /DEBUG galaxy\.jsonrpc: Handling notification: method=abort_authentication/,
  );
  assert(!/INFO .*abort_authentication/.test(g.stderr), g.stderr.slice(-2000));
});

Deno.test("authentication: next step, stored credentials, login, refresh round trip", async () => {
  await session(async (g) => {
    await g.handshake();
    const login = {
      next_step: "web_session",
      auth_params: {
        window_title: "Login",
        window_width: 400,
        window_height: 300,
        start_uri: "http://127.0.0.1/login",
        end_uri_regex: ".*done.*",
      },
    };
    assertEquals((await g.request("init_authentication")).result, login);
    assertEquals(
      (await g.request("init_authentication", { stored_credentials: null })).result,
      login,
    );
    assertEquals(
      (await g.request("init_authentication", { stored_credentials: {} })).result,
      login,
    );
    const user = { user_id: "u1", user_name: "Fixture" };
    assertEquals(
      (await g.request("init_authentication", { stored_credentials: { token: "ok" } })).result,
      user,
    );
    const bad = await g.request("init_authentication", { stored_credentials: { token: "zzz" } });
    assertEquals(bad.error.code, 100);
    assertEquals(bad.error.data.internal_type, "InvalidCredentials");

    const passed = await g.request("pass_login_credentials", {
      step: "web_session",
      credentials: { end_uri: "http://127.0.0.1/done?code=x" },
      cookies: [{ name: "session", value: "cookie-value-123" }],
    });
    assertEquals(passed.result, user);
    const stored = g.notifications("store_credentials");
    assertEquals(stored.length, 1);
    assertEquals(stored[0].params, { token: "ok" });
    assert(
      g.received.indexOf(stored[0]) < g.received.indexOf(passed),
      "credentials stored before the answer",
    );

    // refresh_credentials: the integration asks Galaxy, with string ids.
    await g.send({
      jsonrpc: "2.0",
      id: "r1",
      method: "init_authentication",
      params: { stored_credentials: { token: "refresh" } },
    });
    const ask = await g.waitFor((m) => m.method === "refresh_credentials");
    assertEquals(ask.params, { token: "old" });
    assertEquals(typeof ask.id, "string");
    await g.send({ jsonrpc: "2.0", id: ask.id, result: { token: "ok" } });
    assertEquals((await g.response("r1")).result, user);

    await g.send({
      jsonrpc: "2.0",
      id: "r2",
      method: "init_authentication",
      params: { stored_credentials: { token: "refresh" } },
    });
    const ask2 = await g.waitFor((m) => m.method === "refresh_credentials" && m.id !== ask.id);
    await g.send({ jsonrpc: "2.0", id: ask2.id, result: { token: "nope" } });
    assertEquals((await g.response("r2")).error.code, 100);

    await g.send({
      jsonrpc: "2.0",
      id: "r3",
      method: "init_authentication",
      params: { stored_credentials: { token: "refresh" } },
    });
    const ask3 = await g.waitFor((m) =>
      m.method === "refresh_credentials" && m.id !== ask.id && m.id !== ask2.id
    );
    await g.send({
      jsonrpc: "2.0",
      id: ask3.id,
      error: { code: 106, message: "Access denied", data: { internal_type: "AccessDenied" } },
    });
    const denied = await g.response("r3");
    assertEquals(denied.error.code, 106);
    assertEquals(denied.error.data.internal_type, "AccessDenied");

    // An answer to an id never sent is logged and ignored; the loop keeps serving.
    await g.send({ jsonrpc: "2.0", id: "999", result: {} });
    await g.send({ jsonrpc: "2.0", id: "abc", error: { code: 1, message: "x" } });
    assertEquals((await g.request("ping")).result, null);
  });
});

Deno.test("whole-list imports answer the fixture's records in wire form", async () => {
  await session(async (g) => {
    await g.handshake();
    const owned = (await g.request("import_owned_games")).result.owned_games;
    assertEquals(owned.length, 25);
    assertEquals(owned[10], {
      game_id: "g10",
      game_title: "Game 10",
      dlcs: [{
        dlc_id: "d10",
        dlc_title: "DLC 10",
        license_info: { license_type: "SinglePurchase" },
      }],
      license_info: { license_type: "SinglePurchase" },
    });
    assertEquals(owned[11], {
      game_id: "g11",
      game_title: "Game 11",
      license_info: { license_type: "SinglePurchase" },
    });
    assertEquals((await g.request("import_local_games")).result, {
      local_games: [{ game_id: "g0", local_game_state: 3 }, { game_id: "g1", local_game_state: 1 }],
    });
    assertEquals((await g.request("import_friends")).result, {
      friend_info_list: [
        { user_id: "f1", user_name: "Friend One", avatar_url: "http://127.0.0.1/a.png" },
        { user_id: "f2", user_name: "Friend Two" },
      ],
    });
    assertEquals((await g.request("import_subscriptions")).result, {
      subscriptions: [{
        subscription_name: "Pass",
        owned: true,
        end_time: 1700000000,
        subscription_discovery: 3,
      }],
    });
  }, { FIXTURE_GAMES: "25" });
});

const UNKNOWN = { code: 0, message: "Unknown error", data: { internal_type: "UnknownError" } };
const BACKEND = { code: 4, message: "Backend error", data: { internal_type: "BackendError" } };
const UNKNOWN_BACKEND = {
  code: 6,
  message: "Backend responded in unknown way",
  data: { internal_type: "UnknownBackendResponse" },
};

async function runImport(
  g: FakeGalaxy,
  method: string,
  param: string,
  ids: string[],
  finished: string,
) {
  const before = g.received.length;
  const answer = await g.request(method, { [param]: ids });
  assertEquals(answer.result, null);
  const done = await g.waitFor((m) => m.method === finished && g.received.indexOf(m) >= before);
  const all = g.received.slice(before);
  // The answer comes first, the finish last.
  assertEquals(all[0], answer);
  assertEquals(all[all.length - 1], done);
  return all.slice(1, -1);
}

Deno.test("per-id imports: success, every failure kind, slow ids, finish last", async () => {
  await session(async (g) => {
    await g.handshake();
    const ids = ["g3", "g4", "backend_error", "crash", "other", "slow"];
    // The element id of a notification: its own key, or inside its record.
    const idOf = (m: Message) =>
      m.params.game_id ?? m.params.game_time?.game_id ?? m.params.game_library_settings?.game_id;
    const byId = (list: Message[], _key: string) =>
      Object.fromEntries(list.map((m) => [idOf(m), m]));

    let got = byId(
      await runImport(g, "start_game_times_import", "game_ids", ids, "game_times_import_finished"),
      "game_id",
    );
    assertEquals(got.g3.params, {
      game_time: { game_id: "g3", time_played: 3, last_played_time: 1700000003 },
    });
    assertEquals(got.slow.params, {
      game_time: { game_id: "slow", time_played: 0, last_played_time: 1700000000 },
    });
    assertEquals(got.backend_error, {
      jsonrpc: "2.0",
      method: "game_time_import_failure",
      params: { game_id: "backend_error", error: BACKEND },
    });
    assertEquals(got.crash.params, { game_id: "crash", error: UNKNOWN });
    assertEquals(got.other.params, { game_id: "other", error: UNKNOWN_BACKEND });

    got = byId(
      await runImport(
        g,
        "start_achievements_import",
        "game_ids",
        ids,
        "achievements_import_finished",
      ),
      "game_id",
    );
    assertEquals(got.g3, {
      jsonrpc: "2.0",
      method: "game_achievements_import_success",
      params: {
        game_id: "g3",
        unlocked_achievements: [
          { unlock_time: 1600000003, achievement_id: "a3_1", achievement_name: "First" },
          { unlock_time: 1600000004, achievement_id: "a3_2" },
        ],
      },
    });
    assertEquals(got.crash.method, "game_achievements_import_failure");
    assertEquals(got.slow.params.game_id, "slow");

    got = byId(
      await runImport(
        g,
        "start_game_library_settings_import",
        "game_ids",
        ids,
        "game_library_settings_import_finished",
      ),
      "game_id",
    );
    assertEquals(got.g4.params, {
      game_library_settings: { game_id: "g4", tags: ["fav"], hidden: false },
    });
    assertEquals(got.g3.params, { game_library_settings: { game_id: "g3", hidden: true } });

    got = byId(
      await runImport(
        g,
        "start_os_compatibility_import",
        "game_ids",
        ids,
        "os_compatibility_import_finished",
      ),
      "game_id",
    );
    assertEquals(got.g4.params, { game_id: "g4", os_compatibility: 5 });
    assertEquals(got.g3.params, { game_id: "g3", os_compatibility: null });
    assertEquals(got.other.method, "os_compatibility_import_failure");

    const sizes = await runImport(
      g,
      "start_local_size_import",
      "game_ids",
      ids,
      "local_size_import_finished",
    );
    // Sequential: notifications in request order.
    assertEquals(sizes.map((m) => m.params.game_id), ids);
    assertEquals(sizes[0].params, { game_id: "g3", local_size: null });
    assertEquals(sizes[1].params, { game_id: "g4", local_size: 4000 });

    const presence = await runImport(g, "start_user_presence_import", "user_id_list", [
      "f1",
      "f2",
      "x",
      "slow",
    ], "user_presence_import_finished");
    const byUser = Object.fromEntries(presence.map((m) => [m.params.user_id, m]));
    assertEquals(byUser.f1.params.presence, {
      presence_state: "online",
      game_id: "g0",
      game_title: "Game 0",
      in_game_status: "Menu",
      full_status: "Game 0: Menu",
    });
    assertEquals(byUser.f2.params.presence, { presence_state: "offline" });
    assertEquals(byUser.x.method, "user_presence_import_failure");
    assertEquals(byUser.slow.params.presence.presence_state, "online");

    const subs = await runImport(g, "start_subscription_games_import", "subscription_names", [
      "Pass",
      "nope",
    ], "subscription_games_import_finished");
    assertEquals(subs.map((m) => m.method), [
      "subscription_games_import_success",
      "subscription_games_import_success",
      "subscription_games_partial_import_finished",
      "subscription_games_import_failure",
      "subscription_games_partial_import_finished",
    ]);
    assertEquals(subs[0].params, {
      subscription_name: "Pass",
      subscription_games: [{ game_title: "Game 0", game_id: "g0", start_time: 1600000000 }],
    });
    assertEquals(subs[3].params.error, UNKNOWN_BACKEND);
  });
});

Deno.test("imports: queued while one runs, prepare failure, bad params; the loop keeps serving", async () => {
  await session(async (g) => {
    await g.handshake();
    await g.send({
      jsonrpc: "2.0",
      id: "t1",
      method: "start_game_times_import",
      params: { game_ids: ["slow"] },
    });
    await g.send({
      jsonrpc: "2.0",
      id: "t2",
      method: "start_game_times_import",
      params: { game_ids: ["g1"] },
    });
    assertEquals((await g.response("t1")).result, null);
    // Queued (§10), not refused: answered at once, run after the first.
    assertEquals((await g.response("t2")).result, null);
    await g.waitFor(() => g.notifications("game_times_import_finished").length === 2);
    const order = g.received.filter((m) =>
      m.method === "game_time_import_success" || m.method === "game_times_import_finished"
    ).map((m) => m.params?.game_time?.game_id ?? "finished");
    assertEquals(order, ["slow", "finished", "g1", "finished"]);
    const failed = await g.request("start_achievements_import", {
      game_ids: ["g1", "prepare_fail"],
    });
    assertEquals(failed.error.code, 3);
    assertEquals(g.notifications("achievements_import_finished").length, 0);
    // Not in progress any more after the failed prepare.
    await runImport(
      g,
      "start_achievements_import",
      "game_ids",
      ["g1"],
      "achievements_import_finished",
    );
    for (
      const params of [{ game_ids: 5 }, { game_ids: ["a", 1] }, {}, { game_ids: [], extra: 1 }]
    ) {
      const answer = await g.request("start_game_times_import", params);
      assertEquals(answer.error.code, -32602, JSON.stringify(params));
      assertEquals(answer.error.data.internal_type, "InvalidParams");
      assert(answer.error.data.issues.length > 0);
    }
    const badType = await g.request("start_game_times_import", { game_ids: ["a", 1] });
    assertEquals(badType.error.data.issues[0].path, "game_ids.1");
    assertEquals((await g.request("ping")).result, null);
  });
});

Deno.test("actions push an update each; unknown notifications are ignored", async () => {
  await session(async (g) => {
    await g.handshake();
    await g.notify("launch_game", { game_id: "g1" });
    await g.notify("install_game", { game_id: "g2" });
    await g.notify("uninstall_game", { game_id: "g3" });
    await g.notify("launch_platform_client");
    await g.notify("shutdown_platform_client", {});
    await g.notify("no_such_notification", { x: 1 });
    await g.notify("launch_game", { wrong: 1 });
    await g.waitFor((m) => m.params?.owned_game?.game_title === "shutdown_client client");
    assertEquals(g.notifications("owned_game_updated").map((m) => m.params.owned_game.game_title), [
      "launch g1",
      "install g2",
      "uninstall g3",
      "launch_client client",
      "shutdown_client client",
    ]);
    assertEquals((await g.request("ping")).result, null);
    assertEquals(
      g.received.filter((m) => "error" in m).length,
      0,
      "notifications are never answered",
    );
  });
});

Deno.test("bad input gets the right error and the loop keeps serving", async () => {
  await session(async (g) => {
    await g.handshake();
    const answers: unknown[] = [];
    const expectAnswer = async (raw: string | Uint8Array, code: number) => {
      const before = g.received.length;
      await g.sendRaw(raw);
      const m = await g.waitFor((m) => g.received.indexOf(m) >= before && "error" in m);
      assertEquals(m.error.code, code, String(raw));
      assertEquals(m.id, null);
      answers.push(m);
    };
    await expectAnswer("{not json\n", -32700);
    await expectAnswer(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), -32700);
    await expectAnswer('{"id":1,"method":"ping"}\n', -32600);
    await expectAnswer('{"jsonrpc":"1.0","id":1,"method":"ping"}\n', -32600);
    await expectAnswer('{"jsonrpc":"2.0","id":1,"method":"ping","bogus":1}\n', -32600);
    await expectAnswer("42\n", -32600);
    await expectAnswer('"text"\n', -32600);
    await expectAnswer("null\n", -32600);
    await expectAnswer("[]\n", -32600);
    // Blank and whitespace-only lines are ignored, not answered, not end of stream.
    await g.sendRaw("\n\r\n   \n\t\n");
    assertEquals((await g.request("ping")).result, null);

    const unknown = await g.request("no_such_method", {});
    assertEquals(unknown.error.code, -32601);
    const notObject = await g.send({ jsonrpc: "2.0", id: "p", method: "ping", params: [1] });
    void notObject;
    assertEquals((await g.response("p")).error.code, -32602);
    await g.send({ jsonrpc: "2.0", id: "n", method: "import_owned_games", params: null });
    assertEquals((await g.response("n")).error.code, -32602);
    await g.send({ jsonrpc: "2.0", id: "x", method: "get_capabilities", params: { extra: true } });
    assertEquals((await g.response("x")).error.code, -32602);

    // Ids echoed exactly, strings and numbers alike.
    for (const id of ["str-id", 0, -5, 3.5, "", 1e21]) {
      // response() finds the answer by its id, so finding it is the check; that it is the
      // ping's answer (and not an error) is asserted here.
      await g.send({ jsonrpc: "2.0", id, method: "ping" });
      assertEquals((await g.response(id)).result, null, `id ${JSON.stringify(id)}`);
    }
    // Even a number no double can hold: its digits come back as sent.
    for (
      const raw of [
        "9007199254740993",
        "123456789012345678901234567890",
        "0.1000000000000000055511151231257827",
      ]
    ) {
      const before = g.lines.length;
      await g.sendRaw(`{"jsonrpc":"2.0","method":"ping","params":{},"id":${raw}}\n`);
      await g.waitFor((m) => g.received.indexOf(m) >= before && "result" in m);
      assertEquals(g.lines[before], `{"jsonrpc":"2.0","id":${raw},"result":null}`);
    }

    // A batch is answered as an array, one answer per request, none for notifications.
    await g.sendRaw(
      '[{"jsonrpc":"2.0","id":"b1","method":"ping"},{"jsonrpc":"2.0","method":"launch_game","params":{"game_id":"b"}},{"jsonrpc":"2.0","id":"b2","method":"nope"},5]\n',
    );
    const batchLine = await (async () => {
      for (let i = 0; i < 100; i++) {
        const line = g.lines.find((l) => l.startsWith("["));
        if (line) return line;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error("no batch answer");
    })();
    const batch = JSON.parse(batchLine);
    assertEquals(batch.length, 3);
    assertEquals(batch.find((m: { id: string }) => m.id === "b1").result, null);
    assertEquals(batch.find((m: { id: string }) => m.id === "b2").error.code, -32601);

    // Many messages in one write, and one message split byte by byte.
    await g.sendRaw(
      '{"jsonrpc":"2.0","id":"m1","method":"ping"}\n{"jsonrpc":"2.0","id":"m2","method":"ping"}\n',
    );
    await g.response("m2");
    const split = new TextEncoder().encode('{"jsonrpc":"2.0","id":"s","method":"ping"}\n');
    for (const byte of split) await g.sendRaw(new Uint8Array([byte]));
    assertEquals((await g.response("s")).result, null);
  });
});

Deno.test("shutdown answers null and exits 0; end of stream exits 0 too", async () => {
  const g = await FakeGalaxy.start();
  try {
    await g.handshake();
    await g.send({
      jsonrpc: "2.0",
      id: "slow",
      method: "start_game_times_import",
      params: { game_ids: ["slow"] },
    });
    await g.response("slow");
    const answer = await g.request("shutdown");
    assertEquals(answer.result, null);
    assertEquals(await g.exitCode(), 0);
    // The cancelled import never finishes.
    assertEquals(g.notifications("game_times_import_finished").length, 0);
  } finally {
    await g.dispose();
  }

  const eof = await FakeGalaxy.start();
  try {
    await eof.handshake();
    eof.closeSocket();
    assertEquals(await eof.exitCode(), 0);
    assertMatch(eof.stderr, /end of stream/);
  } finally {
    await eof.dispose();
  }
});

Deno.test("secrets never reach the log, even at debug level", async () => {
  const marker = "SECRET-MARKER-8f3a2c";
  const g = await session(async (g) => {
    await g.handshake({ secret: `${marker}-cache` });
    await g.request("init_authentication", { stored_credentials: { token: `${marker}-stored` } });
    await g.request("pass_login_credentials", {
      step: "web_session",
      credentials: { end_uri: `${marker}-credentials` },
      cookies: [{ name: "c", value: `${marker}-cookie` }],
    });
    await g.send({
      jsonrpc: "2.0",
      id: "r",
      method: "init_authentication",
      params: { stored_credentials: { token: "refresh" } },
    });
    const ask = await g.waitFor((m) => m.method === "refresh_credentials");
    await g.send({ jsonrpc: "2.0", id: ask.id, result: { token: `${marker}-refreshed` } });
    await g.response("r");
  });
  assertMatch(g.stderr, /DEBUG/);
  assert(!g.stderr.includes(marker), "a secret reached the log");
  // The session token (argv, and the get_capabilities answer) is masked too.
  assertMatch(g.stderr, /Sending data: .*"token":"\*\*\*\*/);
  assert(!g.stderr.includes(g.token), "the session token reached the log");
});

Deno.test("exit codes of the entry point", async () => {
  const fixture = new URL("./fixtures/fixture_plugin.ts", import.meta.url).pathname;
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", fixture, ...args],
      stdout: "null",
      stderr: "piped",
    }).output();
    return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
  };
  assertEquals((await run()).code, 1);
  assertEquals((await run("token")).code, 1);
  assertEquals((await run("token", "port")).code, 2);
  assertEquals((await run("token", "0")).code, 3);
  assertEquals((await run("token", "70000")).code, 3);
  // Nothing listens there: crash while running → 5, with a one-line reason.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const refused = await run("token", String(port));
  assertEquals(refused.code, 5);
  assertMatch(refused.stderr, /CRITICAL/);
});

Deno.test("extra arguments after the port are accepted and ignored", async () => {
  const g = await FakeGalaxy.start({ extraArgs: ["C:\\logs\\plugin.log", "more"] });
  try {
    await g.handshake();
    assertEquals(await g.stop(), 0);
  } finally {
    await g.dispose();
  }
});

/** Ten one-game requests in ONE write, string ids, as Galaxy 2.1.10+ sends them (§10). */
function burst(method: string, ids: string[]): string {
  return ids.map((id, k) =>
    JSON.stringify({ jsonrpc: "2.0", id: `b${k}`, method, params: { game_ids: [id] } }) + "\n"
  ).join("");
}

Deno.test("a burst of one-game imports in one write: each answered null, run, finished", async () => {
  await session(async (g) => {
    await g.handshake();
    const ids = Array.from({ length: 10 }, (_, i) => `g${i}`);
    await g.sendRaw(burst("start_game_times_import", ids));
    for (let k = 0; k < ids.length; k++) assertEquals((await g.response(`b${k}`)).result, null);
    await g.waitFor(() => g.notifications("game_times_import_finished").length === ids.length);
    await g.request("ping"); // nothing more comes after the tenth finish
    assertEquals(g.notifications("game_times_import_finished").length, ids.length);
    const times = g.notifications("game_time_import_success").map((m) => m.params.game_time);
    assertEquals(times.map((t) => t.game_id), ids, "each game's time once, in arrival order");
    assertEquals(times[3], { game_id: "g3", time_played: 3, last_played_time: 1700000003 });
    // Each import's own elements come before its own finish.
    const order = g.received.filter((m) =>
      m.method === "game_time_import_success" || m.method === "game_times_import_finished"
    ).map((m) => m.method === "game_times_import_finished" ? "end" : m.params.game_time.game_id);
    assertEquals(order, ids.flatMap((id) => [id, "end"]));
  });
});

Deno.test("a burst where a queued import's prepare fails: its ids fail, then it finishes", async () => {
  await session(async (g) => {
    await g.handshake();
    // "slow" (200 ms) keeps the first import running while the others arrive, so that
    // prepare_fail is surely queued: a prepare that fails with nothing running is the
    // request's own error (§6), which the input's pacing could otherwise let happen.
    const ids = ["slow", "g1", "prepare_fail", "g3"];
    await g.sendRaw(burst("start_achievements_import", ids));
    for (let k = 0; k < ids.length; k++) assertEquals((await g.response(`b${k}`)).result, null);
    await g.waitFor(() => g.notifications("achievements_import_finished").length === ids.length);
    await g.request("ping");
    assertEquals(g.notifications("achievements_import_finished").length, ids.length);
    const order = g.received.filter((m) =>
      m.method?.startsWith("game_achievements_import_") ||
      m.method === "achievements_import_finished"
    ).map((m) =>
      m.method === "achievements_import_finished"
        ? "end"
        : `${m.params.game_id}:${m.method.endsWith("success") ? "ok" : m.params.error.code}`
    );
    // The failed prepare's error (BackendTimeout, 3) for its id, then its own finish.
    assertEquals(order, [
      "slow:ok",
      "end",
      "g1:ok",
      "end",
      "prepare_fail:3",
      "end",
      "g3:ok",
      "end",
    ]);
    const failure = g.notifications("game_achievements_import_failure")[0];
    assertEquals(failure.params.error.data.internal_type, "BackendTimeout");
  });
});

Deno.test("shutdown cancels queued imports like running ones: no finish for any", async () => {
  const g = await session(async (g) => {
    await g.handshake();
    await g.sendRaw(burst("start_game_times_import", ["slow", "g1", "g2"]));
    for (let k = 0; k < 3; k++) assertEquals((await g.response(`b${k}`)).result, null);
  }); // session() ends with a shutdown request while "slow" still runs (200 ms)
  assertEquals(g.notifications("game_times_import_finished").length, 0);
  assertEquals(g.notifications("game_time_import_success").length, 0);
});
