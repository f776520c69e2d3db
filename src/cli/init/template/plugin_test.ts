// Tests of the integration, in-process through the real JSON-RPC loop: `deno task test`.
import assert from "node:assert/strict";
import { connect } from "../../../testing/mod.ts";
import { LOGIN, TemplatePlugin } from "./plugin.ts";

Deno.test("asks for a login, then imports the owned games", async () => {
  await using galaxy = await connect(new TemplatePlugin());
  assert.deepEqual(galaxy.capabilities?.features, ["ImportOwnedGames"]);

  assert.deepEqual(await galaxy.initAuthentication(), LOGIN);
  const user = await galaxy.passLoginCredentials("web_session", {
    end_uri: "https://example.com/done?token=abc",
  });
  assert.deepEqual(user, { userId: "user-3", userName: "Demo User" });
  assert.deepEqual(galaxy.storedCredentials, { token: "abc" });

  const games = await galaxy.importOwnedGames();
  assert.deepEqual(games.map((game) => game.gameTitle), ["First Game", "Second Game"]);
});

Deno.test("logs in again with the stored credentials", async () => {
  await using galaxy = await connect(new TemplatePlugin());
  const user = await galaxy.initAuthentication({ token: "abc" });
  assert.deepEqual(user, { userId: "user-3", userName: "Demo User" });
  assert.equal((await galaxy.importOwnedGames()).length, 2);
});
