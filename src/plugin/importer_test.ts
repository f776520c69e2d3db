// Elements of a concurrent import start in slices (for the garbage collector's sake), yet
// every one of them must start without waiting for the others to finish.
import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import { ImportInProgress } from "../protocol/mod.ts";
import { setLogSink } from "../log/mod.ts";
import { Connection } from "../wire/mod.ts";
import { Importer, IMPORTS } from "./importer.ts";

// A passing run prints nothing; tests that read the log install their own sink.
setLogSink(() => {});

/** A connection whose peer never writes, and everything it writes, as text. */
function recording(): { written: string[]; connection: Connection } {
  const written: string[] = [];
  const decoder = new TextDecoder();
  const connection = new Connection({
    read: () => new Promise<number | null>(() => {}),
    write: (p) => {
      written.push(decoder.decode(p));
      return Promise.resolve(p.length);
    },
    close() {},
  });
  return { written, connection };
}

Deno.test("a concurrent import starts every element before any has to finish", async () => {
  const { written, connection } = recording();
  const n = 2000; // several slices
  const { promise: allStarted, resolve } = Promise.withResolvers<void>();
  let started = 0;
  const target = {
    prepareGameTimesContext: () => Promise.resolve(null),
    // Each element waits until all have started: slices run one after another would hang.
    getGameTime: async (id: string) => {
      if (++started === n) resolve();
      await allStarted;
      return { gameId: id, timePlayed: 1 };
    },
    gameTimesImportComplete: () => {},
  };
  const kind = IMPORTS.find((k) => k.method === "start_game_times_import")!;
  const importer = new Importer(kind, target, connection);
  const run = await importer.start(
    Array.from({ length: n }, (_, i) => `g${i}`),
    new AbortController().signal,
  );
  run();
  const deadline = Date.now() + 10_000;
  while (!written.join("").includes("game_times_import_finished")) {
    if (Date.now() > deadline) throw new Error(`stuck: ${started} of ${n} elements started`);
    await new Promise((r) => setTimeout(r, 5));
  }
  await connection.flush();
  const lines = written.join("").trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines.length, n + 1);
  assertEquals(new Set(lines.slice(0, n).map((m) => m.params.game_time.game_id)).size, n);
  assertEquals(lines[n].method, "game_times_import_finished");
});

Deno.test("a page that fails to encode counts as failed, not as sent", async () => {
  const { written, connection } = recording();
  const target = {
    prepareSubscriptionGamesContext: () => Promise.resolve(null),
    getSubscriptionGames: async function* () {
      yield [{ gameTitle: "no id" }];
    },
    subscriptionGamesImportComplete: () => {},
  };
  const kind = IMPORTS.find((k) => k.method === "start_subscription_games_import")!;
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const run = await new Importer(kind, target, connection).start(
      ["Pass"],
      new AbortController().signal,
    );
    run();
    const deadline = Date.now() + 10_000;
    while (!written.join("").includes("subscription_games_import_finished")) {
      if (Date.now() > deadline) throw new Error("the import never finished");
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    setLogSink(previous);
  }
  const summary = lines.find((l) => l.includes("subscription games import of 1 ids"));
  assert(summary?.includes("0 sent, 1 failed"), summary ?? lines.join(""));
  assert(written.join("").includes("subscription_games_import_failure"));
});

Deno.test("a full queue refuses with ImportInProgress; below the bound a start is accepted", async () => {
  const { connection } = recording();
  const never = new Promise<never>(() => {});
  const target = {
    prepareGameTimesContext: () => Promise.resolve(null),
    getGameTime: () => never,
    gameTimesImportComplete: () => {},
  };
  const kind = IMPORTS.find((k) => k.method === "start_game_times_import")!;
  const importer = new Importer(kind, target, connection, 2);
  const signal = new AbortController().signal;
  (await importer.start(["running"], signal))();
  await importer.start(["a"], signal);
  await importer.start(["b"], signal);
  assertThrows(() => importer.start(["c"], signal), (e) => e instanceof ImportInProgress);
  importer.cancel();
});

Deno.test("a cancelled concurrent import sends nothing more, even for elements that settle later", async () => {
  const { written, connection } = recording();
  const { promise: gate, resolve: open } = Promise.withResolvers<void>();
  let started = 0;
  const target = {
    prepareGameTimesContext: () => Promise.resolve(null),
    getGameTime: async (id: string) => {
      started++;
      await gate;
      if (id === "g1") throw new Error("late failure");
      return { gameId: id, timePlayed: 1 };
    },
    gameTimesImportComplete: () => {},
  };
  const kind = IMPORTS.find((k) => k.method === "start_game_times_import")!;
  const importer = new Importer(kind, target, connection);
  const run = await importer.start(
    Array.from({ length: 2000 }, (_, i) => `g${i}`),
    new AbortController().signal,
  );
  run();
  while (started === 0) await new Promise((r) => setTimeout(r, 1));
  importer.cancel();
  open();
  for (let k = 0; k < 5; k++) await new Promise((r) => setTimeout(r, 5));
  await connection.flush();
  assert(started < 2000, `${started} elements started after the cancel`);
  assertEquals(written.join(""), "");
});
