import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  ApplicationError,
  BackendError,
  errorFromWire,
  type Game,
  Platform,
  UnknownError,
} from "../protocol/mod.ts";
import { JsonRpcError } from "../wire/mod.ts";
import { ExitCode, Plugin, type PluginClass, runPluginToEnd, serve } from "./mod.ts";
import { setLogSink } from "../log/mod.ts";
import { InProcessGalaxy } from "../../tests/in_process.ts";

// A passing run prints nothing; tests that read the log install their own sink.
setLogSink(() => {});

class Base extends Plugin {
  constructor() {
    super(Platform.Generic, "1.0.0");
  }
  override getOwnedGames(): Promise<Game[]> {
    return Promise.resolve([]);
  }
}

class Derived extends Base {
  override getGameTime(): never {
    throw new Error("unused");
  }
}

Deno.test("features come from overridden methods, through intermediate classes too", () => {
  assertEquals(new (class extends Plugin {})(Platform.Generic, "1").features, []);
  assertEquals(new Base().features, ["ImportOwnedGames"]);
  assertEquals(new Derived().features.sort(), ["ImportGameTime", "ImportOwnedGames"]);
});

Deno.test("pushing before Galaxy is connected is a clear error", () => {
  assertThrows(
    () =>
      new Base().addGame({ gameId: "1", gameTitle: "x", licenseInfo: { licenseType: "Unknown" } }),
    (e) => e instanceof Error && /not connected/.test(e.message),
  );
});

Deno.test("errors: reserved codes refused, wire errors rebuilt as their class", () => {
  assertThrows(() => new ApplicationError(-32000, "x"), (e) => e instanceof RangeError);
  const backend = errorFromWire({
    code: 4,
    message: "",
    data: { internal_type: "BackendError", a: 1 },
  });
  assert(backend instanceof BackendError);
  assertEquals(backend.toWire(), {
    code: 4,
    message: "Backend error",
    data: { a: 1, internal_type: "BackendError" },
  });
  const custom = errorFromWire({ code: 77, message: "m", data: { internal_type: "Custom" } });
  assert(custom instanceof JsonRpcError);
  assertEquals(custom.toWire().data.internal_type, "Custom");
  assertEquals(new UnknownError().toWire().data, { internal_type: "UnknownError" });
});

/** Serves `plugin` on a loopback socket and returns a line-based client. */
async function connect(plugin: Plugin) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const served = serve(plugin, await listener.accept(), { token: "t" });
  listener.close();
  let buffer = "";
  const decoder = new TextDecoder();
  const chunk = new Uint8Array(65_536);
  return {
    async call(line: string): Promise<Record<string, unknown>> {
      await client.write(new TextEncoder().encode(line + "\n"));
      while (!buffer.includes("\n")) {
        const n = await client.read(chunk);
        if (n === null) throw new Error("closed");
        buffer += decoder.decode(chunk.subarray(0, n));
      }
      const nl = buffer.indexOf("\n");
      const out = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      return out;
    },
    async close() {
      client.close();
      await served;
    },
  };
}

Deno.test("a handler returning a malformed record gets a clear error, never a bad record", async () => {
  class Broken extends Plugin {
    constructor() {
      super(Platform.Generic, "1.0.0");
    }
    override getOwnedGames(): Promise<Game[]> {
      return Promise.resolve([
        { gameId: "1", licenseInfo: { licenseType: "Unknown" } } as unknown as Game,
      ]);
    }
    override getFriends(): Promise<never> {
      return Promise.reject("a plain string");
    }
  }
  const galaxy = await connect(new Broken());
  const owned = await galaxy.call('{"jsonrpc":"2.0","id":1,"method":"import_owned_games"}');
  const error = owned.error as { code: number; message: string };
  assertEquals(error.code, 0);
  assert(error.message.includes("owned_games[0].gameTitle"), error.message);
  const friends = await galaxy.call('{"jsonrpc":"2.0","id":2,"method":"import_friends"}');
  assertEquals(friends.error, {
    code: 0,
    message: "a plain string",
    data: { internal_type: "UnknownError" },
  });
  const missing = await galaxy.call('{"jsonrpc":"2.0","id":3,"method":"import_local_games"}');
  assertEquals((missing.error as { code: number }).code, -32601);
  await galaxy.close();
});

Deno.test("runPluginToEnd refuses what is not a Plugin subclass with exit code 4", async () => {
  const notAPlugin = class {} as unknown as PluginClass;
  assertEquals(await runPluginToEnd(notAPlugin, ["token", "1234"]), ExitCode.NotAPlugin);
  assertEquals(await runPluginToEnd(Base, ["token", "12x"]), ExitCode.BadPort);
  assertEquals(await runPluginToEnd(Base, ["token", "-1"]), ExitCode.PortOutOfRange);
});

Deno.test("an action the integration does not implement is a warning, not an error", async () => {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const galaxy = await InProcessGalaxy.serve(new Base());
    await galaxy.send(
      { jsonrpc: "2.0", method: "launch_game", params: { game_id: "1" } },
      { jsonrpc: "2.0", id: "0", method: "ping", params: {} },
    );
    await galaxy.response("0");
    await galaxy.close();
  } finally {
    setLogSink(previous);
  }
  const said = lines.filter((l) => l.includes("launch"));
  assert(
    said.some((l) => /WARNING.*launch_game.*does not implement launchGame/.test(l)),
    said.join(""),
  );
  assert(!lines.some((l) => / (ERROR|CRITICAL) /.test(l)), lines.join(""));
});

Deno.test("stored credentials absent, null or {} all reach authenticate as undefined", async () => {
  const seen: unknown[] = [];
  class Login extends Plugin {
    constructor() {
      super(Platform.Generic, "1.0.0");
    }
    override authenticate(stored?: Record<string, unknown>) {
      seen.push(stored);
      return { userId: "1", userName: "me" };
    }
  }
  const galaxy = await InProcessGalaxy.serve(new Login());
  const variants = [{}, { stored_credentials: null }, { stored_credentials: {} }, {
    stored_credentials: { token: "t" },
  }];
  await galaxy.send(
    ...variants.map((params, k) => ({
      jsonrpc: "2.0",
      id: String(k),
      method: "init_authentication",
      params,
    })),
  );
  for (let k = 0; k < variants.length; k++) {
    assertEquals((await galaxy.response(String(k))).result, { user_id: "1", user_name: "me" });
  }
  await galaxy.close();
  assertEquals(seen, [undefined, undefined, undefined, { token: "t" }]);
});

Deno.test("Galaxy errors: real classes with cause; a subclass is known by its own name", () => {
  class RegionLocked extends BackendError {}
  const cause = new Error("HTTP 451");
  const error: BackendError = new RegionLocked("Not in your region", { region: "EU" }, { cause });
  assert(error instanceof BackendError && error instanceof RegionLocked);
  assertEquals(error.cause, cause);
  assertEquals(error.toWire(), {
    code: 4,
    message: "Not in your region",
    data: { region: "EU", internal_type: "RegionLocked" },
  });
  class Declared extends UnknownError {
    static override readonly internalType = "DeclaredName";
  }
  assertEquals(new Declared().toWire().data.internal_type, "DeclaredName");
  assertEquals(new BackendError().toWire().data.internal_type, "BackendError");
});
