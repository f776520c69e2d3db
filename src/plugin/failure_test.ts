// A permission the sandbox denies, wherever the author's code meets it (a request's
// handler, an import element, an action, tick, a background task, a stray promise), is
// one log line naming the deno.json entry, and the error Galaxy gets carries that line.
import { assert, assertEquals } from "../../tests/assert.ts";
import { InProcessGalaxy } from "../../tests/in_process.ts";
import { type Achievement, type Game, Platform, UnknownError } from "../protocol/mod.ts";
import { setLogSink } from "../log/mod.ts";
import { Plugin } from "./mod.ts";
import { unknownError } from "./failure.ts";

setLogSink(() => {});

const denied = (variable: string) => () => Deno.env.get(variable);
const line = (variable: string) =>
  `permission denied: env access to "${variable}"; grant it in deno.json: ` +
  `permissions.integration.env: ["${variable}"]`;

class Sandboxed extends Plugin {
  ticked = Promise.withResolvers<void>();
  constructor() {
    super(Platform.Generic, "1.0.0");
  }
  override handshakeComplete(): void {
    this.startTask("poll", async () => {
      await Promise.resolve();
      denied("IN_TASK")();
    });
  }
  override getOwnedGames(): Promise<Game[]> {
    denied("IN_REQUEST")();
    return Promise.resolve([]);
  }
  override async getUnlockedAchievements(): Promise<Achievement[]> {
    await Promise.resolve();
    denied("IN_ELEMENT")();
    return [];
  }
  override launchGame(): void {
    denied("IN_ACTION")();
  }
  override tick(): void {
    this.ticked.resolve();
    denied("IN_TICK")();
  }
}

Deno.test({
  name: "a denied permission is one line in the log and the error Galaxy gets, in every handler",
  permissions: { net: ["127.0.0.1"], env: false },
  async fn() {
    const lines: string[] = [];
    const previous = setLogSink((l) => lines.push(l));
    const plugin = new Sandboxed();
    try {
      const galaxy = await InProcessGalaxy.serve(plugin, { tickIntervalMs: 1 });
      await galaxy.send(
        { jsonrpc: "2.0", id: "c", method: "initialize_cache", params: { data: {} } },
        { jsonrpc: "2.0", id: "o", method: "import_owned_games", params: {} },
        {
          jsonrpc: "2.0",
          id: "a",
          method: "start_achievements_import",
          params: { game_ids: ["1"] },
        },
        { jsonrpc: "2.0", method: "launch_game", params: { game_id: "1" } },
      );
      const owned = await galaxy.response("o");
      assertEquals(owned.error, {
        code: 0,
        message: line("IN_REQUEST"),
        data: {
          permission: "env",
          resource: "IN_REQUEST",
          entry: 'permissions.integration.env: ["IN_REQUEST"]',
          internal_type: "UnknownError",
        },
      });
      await galaxy.until((m) => m.method === "achievements_import_finished");
      const failure = galaxy.received.find((m) => m.method === "game_achievements_import_failure");
      assertEquals(failure?.params.error.message, line("IN_ELEMENT"));
      assertEquals(failure?.params.error.data.entry, 'permissions.integration.env: ["IN_ELEMENT"]');
      await plugin.ticked.promise;
      await galaxy.send({ jsonrpc: "2.0", id: "s", method: "shutdown", params: {} });
      await galaxy.ended();
    } finally {
      setLogSink(previous);
    }
    const errors = lines.filter((l) => / ERROR galaxy\.(plugin|importer): /.test(l));
    for (const variable of ["IN_REQUEST", "IN_ELEMENT", "IN_ACTION", "IN_TICK", "IN_TASK"]) {
      const said = errors.filter((l) => l.includes(`"${variable}"`));
      assert(said.length >= 1, `${variable} not logged:\n${lines.join("")}`);
      for (const l of said) assert(l.trimEnd().endsWith(`: ${line(variable)}`), l);
    }
    // Deno's advice (a flag the author never passes) and its stack are not what the log says.
    for (const l of errors) assert(!/run again with|(\\n|\n)\s+at /.test(l), l);
  },
});

Deno.test("the UnknownError of anything else thrown keeps its message and no data", () => {
  const error = unknownError(new TypeError("boom"));
  assert(error instanceof UnknownError);
  assertEquals(error.toWire(), {
    code: 0,
    message: "boom",
    data: { internal_type: "UnknownError" },
  });
  assertEquals(unknownError("plain").message, "plain");
});
