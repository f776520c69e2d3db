// The benchmark in CI: `deno task bench --quick` must run and every answer must check out
// (its timings are never judged here), and the checks themselves must catch wrong answers.
import { assert, assertThrows } from "../assert.ts";
import { checkFlood, checkImport, checkOwnedAnswer, checkPongs } from "../../bench/verify.ts";

const ROOT = new URL("../../", import.meta.url);

/** `check` is refused by the checker itself, for the reason `why` (not by a crash). */
function refused(check: () => void, why: RegExp): void {
  assertThrows(check, (e) => {
    assert(e instanceof Error && why.test(e.message), `expected ${why}, got ${e}`);
    return true;
  });
}

Deno.test("deno task bench --quick runs and checks every answer", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/main.ts", "--quick"],
    cwd: ROOT,
    // The check task has type-checked the fixture its build bundles.
    env: { GALAXY_BUILD_SKIP_TYPE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  assert(output.success, `bench --quick failed:\n${stdout}\n${stderr}`);
  assert(stdout.includes("All answers checked."), stdout);
  for (const row of ["startup", "owned 10k", "gametimes 2k", "achievements 2k", "flood 10k"]) {
    assert(stdout.includes(`| ${row} | fixture |`), `no fixture row for ${row}:\n${stdout}`);
  }
  assert(stdout.includes("| pingpong 2k | lean |"), stdout);
  assert(stdout.includes("| burst 100 | fixture |"), `no burst row:\n${stdout}`);
  assert(/burst 1k, fixture: peak RSS \d+ MiB/.test(stdout), `no burst RSS line:\n${stdout}`);
  assert(/\| runtime mod\.js \| [\d.]+ \| [\d.]+ \|/.test(stdout), `no bundle size:\n${stdout}`);
});

const SINGLE = { license_type: "SinglePurchase" };
const game = (i: number) => ({
  game_id: `g${i}`,
  game_title: `Game ${i}`,
  license_info: SINGLE,
  ...(i % 10 === 0
    ? { dlcs: [{ dlc_id: `d${i}`, dlc_title: `DLC ${i}`, license_info: SINGLE }] }
    : {}),
});
const answer = (games: unknown[]) =>
  JSON.stringify({ jsonrpc: "2.0", id: 3, result: { owned_games: games } });

Deno.test("a wrong owned-games answer is refused", () => {
  checkOwnedAnswer([answer([game(0), game(1), game(2)])], 3, 3);
  refused(
    () => checkOwnedAnswer([answer([game(0), game(1), game(1)])], 3, 3),
    /^owned_games: an id seen twice, got "g1"/,
  );
  refused(() => checkOwnedAnswer([answer([game(0), game(1)])], 3, 3), /^expected 3 games, got 2/);
  refused(
    () => checkOwnedAnswer([answer([game(0), { ...game(1), game_title: "x" }])], 3, 2),
    /^owned_games: wrong game g1/,
  );
  refused(
    () => checkOwnedAnswer([answer([{ ...game(0), dlcs: undefined }])], 3, 1),
    /^owned_games: wrong DLC of g0/,
  );
  refused(() => checkOwnedAnswer([answer([game(0)])], 4, 1), /^expected the answer to 4, got 3/);
});

const timeLine = (i: number) =>
  JSON.stringify({
    jsonrpc: "2.0",
    method: "game_time_import_success",
    params: {
      game_time: { game_id: `g${i}`, time_played: i % 1000, last_played_time: 1700000000 + i },
    },
  });
const ANSWER = '{"jsonrpc":"2.0","id":3,"result":null}';
const FINISHED = '{"jsonrpc":"2.0","method":"game_times_import_finished","params":null}';

Deno.test("an import with a missing, doubled or late element is refused", () => {
  checkImport([ANSWER, timeLine(1), timeLine(0), FINISHED], "game_times", 3, 2);
  refused(
    () => checkImport([ANSWER, timeLine(0), timeLine(0), FINISHED], "game_times", 3, 2),
    /^game_time_import_success: an id seen twice, got "g0"/,
  );
  refused(
    () => checkImport([ANSWER, timeLine(0), FINISHED, timeLine(1)], "game_times", 3, 2),
    /^expected game_time_import_success, got .*game_times_import_finished/,
  );
  refused(
    () => checkImport([timeLine(0), timeLine(1), FINISHED, ANSWER], "game_times", 3, 2),
    /^expected game_time_import_success, got .*game_times_import_finished/,
  );
  refused(
    () => checkImport([ANSWER, timeLine(0), timeLine(1), FINISHED], "achievements", 3, 2),
    /^expected game_achievements_import_success, got .*game_time_import_success/,
  );
});

Deno.test("a flood or ping answer out of place is refused", () => {
  const added = (i: number) =>
    JSON.stringify({ jsonrpc: "2.0", method: "owned_game_added", params: { owned_game: game(i) } });
  const cacheAnswer = '{"jsonrpc":"2.0","id":2,"result":null}';
  checkFlood([added(0), cacheAnswer, added(1)], 2, 2);
  refused(
    () => checkFlood([added(0), cacheAnswer, added(0)], 2, 2),
    /^owned_game_added: an id seen twice, got "g0"/,
  );
  refused(
    () => checkFlood([added(0), added(1), added(2)], 2, 2),
    /^owned_game_added: an id outside g0…g1, got "g2"/,
  );
  checkPongs(
    ['{"jsonrpc":"2.0","id":1,"result":null}', '{"jsonrpc":"2.0","id":2,"result":null}'],
    1,
    2,
  );
  refused(
    () =>
      checkPongs(
        ['{"jsonrpc":"2.0","id":2,"result":null}', '{"jsonrpc":"2.0","id":1,"result":null}'],
        1,
        2,
      ),
    /^expected the answer to ping 1, got/,
  );
});
