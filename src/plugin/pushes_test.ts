// Every push of protocol §7, as it reaches the wire: snake_case records, absent fields
// omitted, named parameters as the protocol names them.
import { assert, assertEquals, assertMatch } from "../../tests/assert.ts";
import { LocalGameState, Platform, PresenceState } from "../protocol/mod.ts";
import { Plugin, serve } from "./mod.ts";
import { setLogSink } from "../log/mod.ts";

// A passing run prints nothing; tests that read the log install their own sink.
setLogSink(() => {});

class Pusher extends Plugin {
  constructor() {
    super(Platform.Generic, "1.0.0");
  }
  override async handshakeComplete(): Promise<void> {
    const game = {
      gameId: "1",
      gameTitle: "One",
      licenseInfo: { licenseType: "SinglePurchase" as const },
    };
    await this.addGame(game);
    await this.updateGame({ ...game, dlcs: [] });
    await this.removeGame("1");
    await this.unlockAchievement("1", { unlockTime: 5, achievementName: "First" });
    await this.updateLocalGameStatus({ gameId: "1", localGameState: LocalGameState.Running });
    await this.addFriend({ userId: "f", userName: "Friend", avatarUrl: null });
    await this.updateFriendInfo({ userId: "f", userName: "Renamed" });
    await this.removeFriend("f");
    await this.updateGameTime({ gameId: "1", timePlayed: 10 });
    await this.updateUserPresence("f", { presenceState: PresenceState.Away, gameId: "1" });
    this.persistentCache.kept = "value";
    await this.pushCache();
    await this.lostAuthentication();
    await this.storeCredentials({ token: "t" });
  }
}

async function lines(plugin: Plugin, send: string, until: (line: string) => boolean) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const served = serve(plugin, await listener.accept(), { token: "t" });
  listener.close();
  await client.write(new TextEncoder().encode(send));
  const decoder = new TextDecoder();
  const chunk = new Uint8Array(65_536);
  let text = "";
  while (!text.split("\n").some(until)) {
    const n = await client.read(chunk);
    if (n === null) break;
    text += decoder.decode(chunk.subarray(0, n));
  }
  client.close();
  await served;
  return text.split("\n").filter((l) => l).map((l) => JSON.parse(l));
}

Deno.test("every push reaches Galaxy in its wire form, in order", async () => {
  const received = await lines(
    new Pusher(),
    // The ping right after the cache, as Galaxy sends it, releases the held pushes.
    '{"jsonrpc":"2.0","id":1,"method":"initialize_cache","params":{"data":{}}}\n' +
      '{"jsonrpc":"2.0","id":2,"method":"ping","params":{}}\n',
    (line) => line.includes('"store_credentials"'),
  );
  const pushes = received.filter((m) => m.method).map((m) => [m.method, m.params]);
  const game = {
    game_id: "1",
    game_title: "One",
    license_info: { license_type: "SinglePurchase" },
  };
  assertEquals(pushes, [
    ["owned_game_added", { owned_game: game }],
    ["owned_game_updated", { owned_game: { ...game, dlcs: [] } }],
    ["owned_game_removed", { game_id: "1" }],
    ["achievement_unlocked", {
      game_id: "1",
      achievement: { unlock_time: 5, achievement_name: "First" },
    }],
    ["local_game_status_changed", { local_game: { game_id: "1", local_game_state: 2 } }],
    ["friend_added", { friend_info: { user_id: "f", user_name: "Friend" } }],
    ["friend_updated", { friend_info: { user_id: "f", user_name: "Renamed" } }],
    ["friend_removed", { user_id: "f" }],
    ["game_time_updated", { game_time: { game_id: "1", time_played: 10 } }],
    ["user_presence_updated", {
      user_id: "f",
      presence: { presence_state: "away", game_id: "1" },
    }],
    ["push_cache", { data: { kept: "value" } }],
    ["authentication_lost", null],
    ["store_credentials", { token: "t" }],
  ]);
});

Deno.test("a push with a malformed record throws at the call, naming the field", async () => {
  // Assertions inside handshakeComplete would only be logged (its exceptions are never
  // fatal), so the hook records what each call threw and the test checks it afterwards.
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    return "nothing thrown";
  };
  class Bad extends Plugin {
    badGame: unknown = "handshakeComplete never ran";
    badId: unknown = "handshakeComplete never ran";
    constructor() {
      super(Platform.Generic, "1.0.0");
    }
    override handshakeComplete(): void {
      this.badGame = thrown(() => this.addGame({ gameId: "1" } as never));
      this.badId = thrown(() => this.removeGame(1 as never));
    }
  }
  const plugin = new Bad();
  const received = await lines(
    plugin,
    '{"jsonrpc":"2.0","id":1,"method":"initialize_cache","params":{"data":{}}}\n',
    (line) => line.includes('"id":1'),
  );
  assertEquals(received, [{ jsonrpc: "2.0", id: 1, result: null }]);
  assert(plugin.badGame instanceof Error, String(plugin.badGame));
  assertMatch(plugin.badGame.message, /^Not sent: owned_game_added .*owned_game\.gameTitle/);
  assert(plugin.badId instanceof TypeError, String(plugin.badId));
  assertMatch(plugin.badId.message, /gameId: expected a string/);
});
