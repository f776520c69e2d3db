// The main job until the build and simulator land: start the fixture integration, play
// Galaxy's part over real TCP (handshake, login, imports, an action, shutdown) and print
// what the integration answered.
import { FakeGalaxy } from "./fake_galaxy.ts";

const galaxy = await FakeGalaxy.start({ env: { FIXTURE_GAMES: "5" } });
const show = (label: string, message: unknown) =>
  console.log(`${label.padEnd(28)} ${JSON.stringify(message)}`);

show("get_capabilities", (await galaxy.request("get_capabilities")).result.features);
await galaxy.request("initialize_cache", { data: { greeting: "Hello from the cache" } });
show("cache greeting pushed", galaxy.notifications("owned_game_added")[0]?.params);
show("init_authentication", (await galaxy.request("init_authentication", {})).result);
await galaxy.request("pass_login_credentials", {
  step: "web_session",
  credentials: { end_uri: "http://127.0.0.1/done" },
  cookies: [],
});
show("store_credentials pushed", galaxy.notifications("store_credentials").length === 1);
const owned = (await galaxy.request("import_owned_games")).result.owned_games;
show("import_owned_games", owned.map((g: { game_id: string }) => g.game_id));
await galaxy.request("start_game_times_import", { game_ids: ["g1", "g2", "nope"] });
await galaxy.waitFor((m) => m.method === "game_times_import_finished");
for (const m of galaxy.received.filter((m) => String(m.method).startsWith("game_time_import"))) {
  show(m.method, m.params);
}
await galaxy.notify("launch_game", { game_id: "g1" });
show(
  "launch_game → update",
  (await galaxy.waitFor((m) => m.method === "owned_game_updated")).params,
);
const code = await galaxy.stop();
console.log(`integration exited with code ${code}`);
if (code !== 0) Deno.exit(1);
