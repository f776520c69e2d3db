import * as v from "npm:valibot@^1.2.0";
import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { compileEncoder, RecordError } from "./codec.ts";
import { encoders, listEncoders, schemas } from "./mod.ts";
import { generateTypes } from "./gen_types.ts";

function error(fn: () => unknown): RecordError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordError) return e;
    throw e;
  }
  throw new Error("expected a RecordError");
}

Deno.test("records are encoded to snake_case, absent fields omitted, defaults applied", () => {
  assertEquals(
    encoders.Game({
      gameId: "1",
      gameTitle: "One",
      dlcs: null,
      licenseInfo: { licenseType: "FreeToPlay", owner: undefined },
    }),
    { game_id: "1", game_title: "One", license_info: { license_type: "FreeToPlay" } },
  );
  assertEquals(encoders.Subscription({ subscriptionName: "Pass" }), {
    subscription_name: "Pass",
    subscription_discovery: 3,
  });
  // Keys of a record schema are data (URL regexes), not field names: kept as they are.
  assertEquals(
    encoders.NextStep({
      nextStep: "web_session",
      authParams: {
        windowTitle: "t",
        windowWidth: 1,
        windowHeight: 2,
        startUri: "s",
        endUriRegex: "e",
      },
      js: { "^https://a\\.b/someUrl": ["x()"] },
    }),
    {
      next_step: "web_session",
      auth_params: {
        window_title: "t",
        window_width: 1,
        window_height: 2,
        start_uri: "s",
        end_uri_regex: "e",
      },
      js: { "^https://a\\.b/someUrl": ["x()"] },
    },
  );
});

Deno.test("a bad record names the field, with the path through lists", () => {
  const games = [
    { gameId: "1", gameTitle: "One", licenseInfo: { licenseType: "SinglePurchase" } },
    { gameId: "2", licenseInfo: { licenseType: "SinglePurchase" } },
  ];
  const missing = error(() => listEncoders.Game(games));
  assertEquals(missing.where, "[1].gameTitle");
  assert(missing.message.includes("expected a value"), missing.message);

  const badEnum = error(() =>
    encoders.Game({ gameId: "1", gameTitle: "x", licenseInfo: { licenseType: "Stolen" } })
  );
  assertEquals(badEnum.where, "licenseInfo.licenseType");
  assert(badEnum.message.includes('"FreeToPlay"'));

  const typo = error(() =>
    encoders.Game({
      gameId: "1",
      gameTitel: "x",
      gameTitle: "x",
      licenseInfo: { licenseType: "Unknown" },
    })
  );
  assertEquals(typo.where, "gameTitel");

  const notInt = error(() => encoders.GameTime({ gameId: "1", timePlayed: 1.5 }));
  assertEquals(notInt.where, "timePlayed");
  assert(notInt.message.includes("integer"));

  const state = error(() => encoders.LocalGame({ gameId: "1", localGameState: 4 }));
  assertEquals(state.where, "localGameState");

  // The cross-field rule of an achievement: an id or a name.
  const anonymous = error(() => encoders.Achievement({ unlockTime: 1 }));
  assert(anonymous.message.includes("achievementId or an achievementName"));
  assertEquals(encoders.Achievement({ unlockTime: 1, achievementName: "n" }), {
    unlock_time: 1,
    achievement_name: "n",
  });

  assertThrows(() => encoders.UserInfo(null), (e) => e instanceof RecordError);
  assertThrows(() => encoders.UserInfo([]), (e) => e instanceof RecordError);
});

Deno.test("the compiled encoders accept exactly what valibot accepts", () => {
  const samples: [keyof typeof schemas, unknown][] = [
    ["Game", { gameId: "1", gameTitle: "x", licenseInfo: { licenseType: "Unknown" } }],
    ["Game", { gameId: 1, gameTitle: "x", licenseInfo: { licenseType: "Unknown" } }],
    ["Game", { gameId: "1", gameTitle: "x", licenseInfo: {} }],
    ["GameTime", { gameId: "1", timePlayed: null, lastPlayedTime: 5 }],
    ["GameTime", { gameId: "1", timePlayed: "5" }],
    ["Achievement", { unlockTime: 1, achievementId: "a" }],
    ["Achievement", { unlockTime: 1 }],
    ["UserPresence", { presenceState: "online" }],
    ["UserPresence", { presenceState: "busy" }],
    ["Subscription", { subscriptionName: "s", subscriptionDiscovery: 2 }],
    ["Subscription", { subscriptionName: "s", subscriptionDiscovery: 4 }],
    ["GameLibrarySettings", { gameId: "1", tags: ["a", 2] }],
    ["Cookie", { name: "n", value: "v", extra: 1 }],
  ];
  for (const [name, sample] of samples) {
    let ours = true;
    try {
      encoders[name](sample);
    } catch (e) {
      // A refusal is a RecordError; anything else is a bug in the encoder, not a "no".
      if (!(e instanceof RecordError)) throw e;
      ours = false;
    }
    assertEquals(ours, v.is(schemas[name], sample), `${name} ${JSON.stringify(sample)}`);
  }
});

Deno.test("compileEncoder refuses schema kinds it cannot encode faithfully", () => {
  assertThrows(
    () => compileEncoder(v.union([v.string(), v.number()])),
    (e) => e instanceof Error && /schema type union is not supported/.test(e.message),
  );
});

Deno.test("types.ts is what gen_types.ts generates from the schemas (run `deno task gen`)", async () => {
  const expected = generateTypes();
  const actual = await Deno.readTextFile(new URL("./types.ts", import.meta.url));
  const normalize = (text: string) => text.replace(/\s+/g, " ").trim();
  assertEquals(normalize(actual), normalize(expected));
});
