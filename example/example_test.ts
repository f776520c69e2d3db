// The example integration end to end: its backend on a free port, the plugin as its own
// process driven by the fake Galaxy over real TCP, and the login page walked like Galaxy's
// browser would.
import { assert, assertEquals, assertMatch } from "../tests/assert.ts";
import { FakeGalaxy, type Message } from "../tests/fake_galaxy.ts";
import { startBackend } from "./backend.ts";
import { logInInBrowser } from "./browser.ts";

const PLUGIN = new URL("../plugin.ts", import.meta.url).pathname;

Deno.test("the example logs in on the web, imports through its HTTP client, and renews tokens", async () => {
  const backend = startBackend();
  const galaxy = await FakeGalaxy.start({
    command: [Deno.execPath(), "run", "-A", PLUGIN],
    env: { EXAMPLE_BACKEND_URL: backend.url, GALAXY_LOG_LEVEL: "debug" },
  });
  try {
    const capabilities = await galaxy.request("get_capabilities");
    assertEquals(capabilities.result.features.sort(), [
      "ImportAchievements",
      "ImportGameTime",
      "ImportOwnedGames",
    ]);
    await galaxy.request("initialize_cache", { data: {} });

    // First run: a NextStep to the backend's login page.
    const next = (await galaxy.request("init_authentication", {})).result;
    assertEquals(next.next_step, "web_session");
    assertEquals(next.auth_params.start_uri, `${backend.url}login`);
    const endUri = await logInInBrowser(next.auth_params.start_uri, next.auth_params.end_uri_regex);
    const login = await galaxy.request("pass_login_credentials", {
      step: "web_session",
      credentials: { end_uri: endUri },
      cookies: [],
    });
    assertEquals(login.result, { user_id: "u-4711", user_name: "demo-player" });
    const stored = galaxy.notifications("store_credentials");
    assertEquals(stored.length, 1);
    const firstRefreshToken: string = stored[0].params.refresh_token;
    assertMatch(firstRefreshToken, /^rt-/);

    // Owned games, achievements and game time, all from the backend.
    const owned = (await galaxy.request("import_owned_games")).result.owned_games;
    assertEquals(owned.map((g: Message) => g.game_id), ["1001", "1002", "1003"]);
    assertEquals(owned[0].dlcs[0].dlc_id, "1001-s");

    await galaxy.request("start_achievements_import", { game_ids: ["1001", "9999"] });
    await galaxy.waitFor((m) => m.method === "achievements_import_finished");
    const unlocked = galaxy.notifications("game_achievements_import_success")[0].params;
    assertEquals(unlocked.game_id, "1001");
    assertEquals(unlocked.unlocked_achievements.map((a: Message) => a.achievement_id), [
      "first-win",
      "flawless",
    ]);
    const failed = galaxy.notifications("game_achievements_import_failure")[0].params;
    assertEquals([failed.game_id, failed.error.code], ["9999", 0]); // 404: UnknownError

    await galaxy.request("start_game_times_import", { game_ids: ["1002", "1003"] });
    await galaxy.waitFor((m) => m.method === "game_times_import_finished");
    assertEquals(galaxy.notifications("game_time_import_success").map((m) => m.params.game_time), [
      { game_id: "1002", time_played: 61, last_played_time: 1690000500 },
      { game_id: "1003", time_played: 0 },
    ]);

    // The access token expires mid-session: one refresh, the import still succeeds, and the
    // rotated refresh token is stored.
    backend.expireAccessTokens();
    const again = await galaxy.request("import_owned_games");
    assertEquals(again.result.owned_games.length, 3);
    assertEquals(backend.hits.get("POST /oauth/token"), 2);
    assertEquals(galaxy.notifications("store_credentials").length, 2);

    // A later start with the stored credentials logs in without the browser.
    const latest = galaxy.notifications("store_credentials")[1].params;
    const restart = await galaxy.request("init_authentication", { stored_credentials: latest });
    assertEquals(restart.result.user_name, "demo-player");

    // Refresh tokens revoked: the request fails with AuthenticationRequired and Galaxy is
    // told the authentication is lost, once.
    backend.expireAccessTokens();
    backend.revokeRefreshTokens();
    const lost = await galaxy.request("import_owned_games");
    assertEquals(lost.error.code, 1);
    await galaxy.waitFor((m) => m.method === "authentication_lost");
    assertEquals(galaxy.notifications("authentication_lost").length, 1);

    assertEquals(await galaxy.stop(), 0);
    // Debug logging was on, yet no token reached the log.
    const tokens = galaxy.notifications("store_credentials").map((m) => m.params.refresh_token);
    for (const token of [...tokens, endUri.split("code=")[1]]) {
      assert(!galaxy.stderr.includes(token), `a secret reached the log:\n${galaxy.stderr}`);
    }
    assert(!/(at|rt|code)-[0-9a-f]{32}/.test(galaxy.stderr), "no token of any kind in the log");
    if (Deno.env.get("SHOW_LOG")) console.log(galaxy.stderr);
    assertMatch(galaxy.stderr, /GET http:\/\/127\.0\.0\.1:\d+\/api\/games → 200 \(\d+ ms\)/);
  } finally {
    await galaxy.dispose();
    await backend.close();
  }
});
