// The example integration at work, without Galaxy: start its backend, run plugin.ts as
// Galaxy would (a fake Galaxy over real TCP), log in through the web page, import, then
// let the access token expire and watch the client renew it.
// Usage: deno task example
import { FakeGalaxy } from "../tests/fake_galaxy.ts";
import { startBackend } from "./backend.ts";
import { logInInBrowser } from "./browser.ts";

const backend = startBackend();
const galaxy = await FakeGalaxy.start({
  command: [Deno.execPath(), "run", "-A", new URL("../plugin.ts", import.meta.url).pathname],
  env: { EXAMPLE_BACKEND_URL: backend.url },
});
const show = (label: string, value: unknown) =>
  console.log(`${label.padEnd(26)} ${JSON.stringify(value)}`);
try {
  show("backend", backend.url);
  show("features", (await galaxy.request("get_capabilities")).result.features);
  await galaxy.request("initialize_cache", { data: {} });
  const next = (await galaxy.request("init_authentication", {})).result;
  show("init_authentication", next);
  const endUri = await logInInBrowser(next.auth_params.start_uri, next.auth_params.end_uri_regex);
  const login = await galaxy.request("pass_login_credentials", {
    step: "web_session",
    credentials: { end_uri: endUri },
    cookies: [],
  });
  show("pass_login_credentials", login.result);
  const owned = (await galaxy.request("import_owned_games")).result.owned_games;
  show("owned games", owned.map((g: { game_title: string }) => g.game_title));
  await galaxy.request("start_achievements_import", { game_ids: ["1001", "1002"] });
  await galaxy.waitFor((m) => m.method === "achievements_import_finished");
  for (const m of galaxy.notifications("game_achievements_import_success")) {
    show(`achievements of ${m.params.game_id}`, m.params.unlocked_achievements.length);
  }
  await galaxy.request("start_game_times_import", { game_ids: ["1001"] });
  show("game time", (await galaxy.waitFor((m) => m.method === "game_time_import_success")).params);
  backend.expireAccessTokens();
  const again = await galaxy.request("import_owned_games");
  show("after token expiry", `${again.result.owned_games.length} games, token refreshed`);
  show("credentials stored", `${galaxy.notifications("store_credentials").length} times`);
} finally {
  const code = await galaxy.stop();
  await backend.close();
  console.log(`integration exited with code ${code}`);
  if (code !== 0) Deno.exit(1);
}
