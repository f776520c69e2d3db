// The testing kit (`./testing`) driving the fixture integration in-process, over the
// in-memory pipe and over a loopback socket, as an author's tests would.
import { assert, assertEquals, assertMatch, assertRejects } from "./assert.ts";
import {
  BackendError,
  BackendTimeout,
  type Game,
  InvalidCredentials,
  type LocalGame,
  Platform,
  Plugin,
  UnknownError,
} from "../mod.ts";
import { connect, type ConnectOptions, ProtocolViolation } from "../src/testing/mod.ts";
import { FixturePlugin } from "./fixtures/fixture_plugin.ts";
import { setLogSink } from "../src/log/mod.ts";

// The in-process runtime logs what it serves; a passing run prints only the runner's lines.
setLogSink(() => {});

const GAME0 = {
  gameId: "g0",
  gameTitle: "Game 0",
  dlcs: [{ dlcId: "d0", dlcTitle: "DLC 0", licenseInfo: { licenseType: "SinglePurchase" } }],
  licenseInfo: { licenseType: "SinglePurchase" },
};

for (const transport of ["memory", "tcp"] as const) {
  Deno.test(`testing kit (${transport}): handshake, login, owned games, actions`, async () => {
    const options: ConnectOptions = { transport, cache: { greeting: "hi" } };
    await using galaxy = await connect(new FixturePlugin(), options);
    assertEquals(galaxy.capabilities?.platformName, "test");
    assertEquals(galaxy.capabilities?.features.length, 16);
    const greeted = await galaxy.nextNotification("owned_game_added");
    assertEquals((greeted.data?.ownedGame as { gameTitle: string }).gameTitle, "hi");

    const step = await galaxy.initAuthentication();
    assert("nextStep" in step);
    assertEquals(step.authParams.endUriRegex, ".*done.*");
    assertEquals(
      await galaxy.passLoginCredentials("web_session", { end_uri: "http://127.0.0.1/done" }),
      { userId: "u1", userName: "Fixture" },
    );
    assertEquals(galaxy.storedCredentials, { token: "ok" });

    const games = await galaxy.importOwnedGames();
    assertEquals(games.map((g) => g.gameId), ["g0", "g1", "g2"]);
    assertEquals(games[0], GAME0);

    await galaxy.launchGame("g1");
    const launched = await galaxy.nextNotification("owned_game_updated");
    assertEquals(launched.params, {
      owned_game: {
        game_id: "g1",
        game_title: "launch g1",
        license_info: { license_type: "Unknown" },
      },
    });
    await galaxy.uninstallGame("g2");
    assertEquals(
      (await galaxy.nextNotification("owned_game_updated")).data?.ownedGame,
      { gameId: "g2", gameTitle: "uninstall g2", licenseInfo: { licenseType: "Unknown" } },
    );
  });
}

Deno.test("testing kit: batched imports collect values, errors and notifications", async () => {
  await using galaxy = await connect(new FixturePlugin());
  const times = await galaxy.startGameTimesImport(["g1", "g2", "backend_error", "crash"]);
  assertEquals(times.values, {
    g1: { gameId: "g1", timePlayed: 1, lastPlayedTime: 1700000001 },
    g2: { gameId: "g2", timePlayed: 2, lastPlayedTime: 1700000002 },
  });
  assert(times.errors.backend_error instanceof BackendError);
  assert(times.errors.crash instanceof UnknownError);
  assertEquals(times.notifications.length, 5);
  assertEquals(times.notifications.at(-1)?.method, "game_times_import_finished");

  const achievements = await galaxy.startAchievementsImport(["g3"]);
  assertEquals(achievements.values.g3, [
    { achievementId: "a3_1", achievementName: "First", unlockTime: 1600000003 },
    { achievementId: "a3_2", unlockTime: 1600000004 },
  ]);
  assertEquals((await galaxy.startOsCompatibilityImport(["g0", "g1"])).values, {
    g0: 5,
    g1: null,
  });
  assertEquals((await galaxy.startLocalSizeImport(["g4"])).values, { g4: 4000 });
  assertEquals((await galaxy.startGameLibrarySettingsImport(["g1"])).values, {
    g1: { gameId: "g1", hidden: true },
  });
  assertEquals((await galaxy.startUserPresenceImport(["f2"])).values, {
    f2: { presenceState: "offline" },
  });
  const subscriptionGames = await galaxy.startSubscriptionGamesImport(["Pass"]);
  assertEquals(subscriptionGames.values.Pass.map((g) => g.gameId), ["g0", "g1"]);
  assertEquals(
    subscriptionGames.notifications.map((n) => n.method),
    [
      "subscription_games_import_success",
      "subscription_games_import_success",
      "subscription_games_partial_import_finished",
      "subscription_games_import_finished",
    ],
  );
  // prepare_*_context failing is the start request's error.
  await assertRejects(
    () => galaxy.startGameTimesImport(["prepare_fail"]),
    (e) => e instanceof BackendTimeout,
  );
  assertEquals(galaxy.violations, []);
});

Deno.test("testing kit: refresh_credentials is answered by the test's function", async () => {
  const asked: unknown[] = [];
  await using galaxy = await connect(new FixturePlugin(), {
    refreshCredentials: (params) => {
      asked.push(params);
      return { token: "ok" };
    },
  });
  assertEquals(await galaxy.initAuthentication({ token: "refresh" }), {
    userId: "u1",
    userName: "Fixture",
  });
  assertEquals(asked, [{ token: "old" }]);
  await assertRejects(
    () => galaxy.initAuthentication({ token: "bad" }),
    (e) => e instanceof InvalidCredentials,
  );
});

class Stuck extends Plugin {
  constructor() {
    super(Platform.Generic, "1");
  }
  override getOwnedGames(): Promise<Game[]> {
    return new Promise(() => {}); // Never settles.
  }
  override getLocalGames(): Promise<LocalGame[]> {
    const end = Date.now() + 600;
    while (Date.now() < end) {
      // Blocks the event loop longer than the test's limit.
    }
    return Promise.resolve([]);
  }
}

Deno.test("testing kit: a handler that never settles fails the call in bounded time, no SuppressedError", async () => {
  let thrown: unknown;
  const body = async () => {
    await using galaxy = await connect(new Stuck(), { timeoutMs: 300 });
    await galaxy.importOwnedGames();
  };
  await body().catch((e) => (thrown = e));
  // The violation itself, not a SuppressedError wrapping it and the dispose's own.
  assert(thrown instanceof ProtocolViolation, String(thrown));
  assertMatch(
    thrown.message,
    /import_owned_games not answered within 0\.3 s: a handler never settled, or the event loop was blocked; outstanding: import_owned_games \(id "3"\) for 0\.3 s/,
  );
});

Deno.test("testing kit: a handler that blocks the event loop fails the call once it lets go", async () => {
  await using galaxy = await connect(new Stuck(), { timeoutMs: 300 });
  await assertRejects(
    () => galaxy.importLocalGames(),
    (e) =>
      e instanceof ProtocolViolation &&
      /import_local_games answered only after 0\.\d s, over the 0\.3 s limit: the event loop was blocked/
        .test(e.message),
  );
});

class Ticker extends Plugin {
  ticks = 0;
  constructor() {
    super(Platform.Generic, "1");
  }
  override tick(): void {
    this.ticks++;
    void this.removeGame(`g${this.ticks}`);
  }
}

Deno.test("testing kit: the tick driven by hand", async () => {
  const plugin = new Ticker();
  {
    await using galaxy = await connect(plugin, { tick: "manual" });
    await galaxy.tick();
    await galaxy.tick();
    assertEquals(plugin.ticks, 2);
    assertEquals(
      galaxy.notifications.map((n) => n.params),
      [{ game_id: "g1" }, { game_id: "g2" }],
    );
  }
  // The plugin has its own tick back once the session is over.
  assert(!Object.hasOwn(plugin, "tick"));
  await using auto = await connect(new Ticker());
  await assertRejects(() => auto.tick(), (e) => e instanceof TypeError);
});

Deno.test("testing kit: a per-game burst of one-id imports in one write, each served", async () => {
  await using galaxy = await connect(new FixturePlugin());
  const ids = Array.from({ length: 10 }, (_, i) => `g${i}`);
  // Started in one turn: the kit sends them in one write, as Galaxy 2.1.10+ does.
  const runs = await Promise.all(ids.map((id) => galaxy.startGameTimesImport([id])));
  assertEquals(runs.map((r) => Object.keys(r.values)), ids.map((id) => [id]));
  assertEquals(
    galaxy.notifications.filter((n) => n.method === "game_times_import_finished").length,
    10,
  );
});
