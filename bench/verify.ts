/**
 * Checks of what an integration answered in a benchmark run, against the fixture's data
 * (fixture-plugin.md). Each throws an Error saying what was wrong, so that a fast wrong
 * answer can never win.
 *
 * @module
 */

// deno-lint-ignore no-explicit-any
type Message = Record<string, any>;

function parse(line: string, where: string): Message {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`${where}: not JSON: ${line.slice(0, 80)}`);
  }
}

function fail(what: string, value: unknown): never {
  throw new Error(`${what}, got ${JSON.stringify(value)?.slice(0, 160)}`);
}

/** The index `i` of a fixture id `g<i>` below `n`, or -1. */
function gameIndex(id: unknown, n: number): number {
  if (typeof id !== "string" || !/^g(0|[1-9][0-9]*)$/.test(id)) return -1;
  const i = Number(id.slice(1));
  return i < n ? i : -1;
}

/** Marks index `i` as seen; throws if it is out of range or was seen before. */
function mark(seen: Uint8Array, i: number, id: unknown, what: string): void {
  if (i < 0) fail(`${what}: an id outside g0…g${seen.length - 1}`, id);
  if (seen[i]) fail(`${what}: an id seen twice`, id);
  seen[i] = 1;
}

function expectAll(seen: Uint8Array, what: string): void {
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new Error(`${what}: g${missing} is missing`);
}

/**
 * Checks that `lines` is exactly one answer to `id` with a null result.
 *
 * @example
 * ```ts
 * import { checkNullAnswer } from "./verify.ts";
 * checkNullAnswer(['{"jsonrpc":"2.0","id":7,"result":null}'], 7);
 * ```
 */
export function checkNullAnswer(lines: string[], id: unknown): void {
  if (lines.length !== 1) fail(`expected one answer to ${id}`, lines);
  const answer = parse(lines[0], "answer");
  if (answer.id !== id || answer.result !== null) fail(`expected a null result for ${id}`, answer);
}

/**
 * Checks the answer to `import_owned_games`: games g0…g(n-1), each once and exactly as the
 * fixture defines it (title, license, a DLC on every tenth).
 *
 * @example
 * ```ts
 * import { checkOwnedAnswer } from "./verify.ts";
 * const game = { game_id: "g0", game_title: "Game 0", license_info: { license_type: "SinglePurchase" },
 *   dlcs: [{ dlc_id: "d0", dlc_title: "DLC 0", license_info: { license_type: "SinglePurchase" } }] };
 * checkOwnedAnswer([JSON.stringify({ jsonrpc: "2.0", id: 3, result: { owned_games: [game] } })], 3, 1);
 * ```
 */
export function checkOwnedAnswer(lines: string[], id: unknown, n: number): void {
  if (lines.length !== 1) fail("expected one answer to import_owned_games", lines.length);
  const answer = parse(lines[0], "import_owned_games");
  if (answer.id !== id) fail(`expected the answer to ${id}`, answer.id ?? answer);
  const games = answer.result?.owned_games;
  if (!Array.isArray(games)) fail("expected result.owned_games", answer);
  if (games.length !== n) fail(`expected ${n} games`, games.length);
  const seen = new Uint8Array(n);
  for (const game of games) checkGame(game, n, seen, "owned_games");
  expectAll(seen, "owned_games");
}

function checkGame(game: Message, n: number, seen: Uint8Array, what: string): void {
  const i = gameIndex(game?.game_id, n);
  mark(seen, i, game?.game_id, what);
  if (
    game.game_title !== `Game ${i}` || game.license_info?.license_type !== "SinglePurchase"
  ) fail(`${what}: wrong game g${i}`, game);
  if (i % 10 === 0) {
    const dlc = Array.isArray(game.dlcs) && game.dlcs.length === 1 ? game.dlcs[0] : undefined;
    if (
      dlc?.dlc_id !== `d${i}` || dlc.dlc_title !== `DLC ${i}` ||
      dlc.license_info?.license_type !== "SinglePurchase"
    ) {
      fail(`${what}: wrong DLC of g${i}`, game);
    }
  } else if (game.dlcs !== undefined) fail(`${what}: g${i} has no DLC`, game);
}

/** The per-id imports the benchmark drives. */
export type ImportName = "game_times" | "achievements";

const IMPORT_LINES: Record<ImportName, { success: string; finished: string }> = {
  game_times: { success: "game_time_import_success", finished: "game_times_import_finished" },
  achievements: {
    success: "game_achievements_import_success",
    finished: "achievements_import_finished",
  },
};

/**
 * Checks a `start_*_import` run for ids g0…g(n-1): the null answer to `id`, one success
 * notification per id with the fixture's values, and `*_import_finished` last.
 *
 * @example
 * ```ts
 * import { checkImport } from "./verify.ts";
 * checkImport([
 *   '{"jsonrpc":"2.0","id":1,"result":null}',
 *   '{"jsonrpc":"2.0","method":"game_time_import_success","params":{"game_time":{"game_id":"g0","time_played":0,"last_played_time":1700000000}}}',
 *   '{"jsonrpc":"2.0","method":"game_times_import_finished","params":null}',
 * ], "game_times", 1, 1);
 * ```
 */
export function checkImport(lines: string[], name: ImportName, id: unknown, n: number): void {
  const { success, finished } = IMPORT_LINES[name];
  if (lines.length !== n + 2) fail(`expected ${n + 2} lines`, lines.length);
  const seen = new Uint8Array(n);
  let answered = false;
  for (let k = 0; k < lines.length - 1; k++) {
    const m = parse(lines[k], name);
    if ("result" in m || "error" in m) {
      if (answered || m.id !== id || m.result !== null) fail("expected one null answer", m);
      answered = true;
      continue;
    }
    if (m.method !== success) fail(`expected ${success}`, m);
    if (name === "game_times") {
      const t = m.params?.game_time;
      const i = gameIndex(t?.game_id, n);
      mark(seen, i, t?.game_id, success);
      if (t.time_played !== i % 1000 || t.last_played_time !== 1700000000 + i) {
        fail(`${success}: wrong values`, t);
      }
    } else {
      const i = gameIndex(m.params?.game_id, n);
      mark(seen, i, m.params?.game_id, success);
      const [a, b, more] = m.params.unlocked_achievements ?? [];
      if (
        more !== undefined || a?.achievement_id !== `a${i}_1` || a.achievement_name !== "First" ||
        a.unlock_time !== 1600000000 + i || b?.achievement_id !== `a${i}_2` ||
        b.unlock_time !== 1600000001 + i
      ) fail(`${success}: wrong achievements`, m.params);
    }
  }
  if (!answered) throw new Error(`${name}: the request was never answered`);
  expectAll(seen, success);
  const last = parse(lines[lines.length - 1], name);
  if (last.method !== finished || last.params !== null) fail(`expected ${finished} last`, last);
}

/**
 * Checks the flood: the null answer to `initialize_cache` (`id`) and n `owned_game_added`
 * notifications, one per game g0…g(n-1), in any order around the answer.
 *
 * @example
 * ```ts
 * import { checkFlood } from "./verify.ts";
 * const owned_game = { game_id: "g0", game_title: "Game 0", license_info: { license_type: "SinglePurchase" },
 *   dlcs: [{ dlc_id: "d0", dlc_title: "DLC 0", license_info: { license_type: "SinglePurchase" } }] };
 * checkFlood([
 *   JSON.stringify({ jsonrpc: "2.0", method: "owned_game_added", params: { owned_game } }),
 *   '{"jsonrpc":"2.0","id":2,"result":null}',
 * ], 2, 1);
 * ```
 */
export function checkFlood(lines: string[], id: unknown, n: number): void {
  if (lines.length !== n + 1) fail(`expected ${n + 1} lines`, lines.length);
  const seen = new Uint8Array(n);
  let answered = false;
  for (const line of lines) {
    const m = parse(line, "flood");
    if ("result" in m || "error" in m) {
      if (answered || m.id !== id || m.result !== null) fail("expected one null answer", m);
      answered = true;
      continue;
    }
    if (m.method !== "owned_game_added") fail("expected owned_game_added", m);
    checkGame(m.params?.owned_game, n, seen, "owned_game_added");
  }
  if (!answered) throw new Error("flood: initialize_cache was never answered");
  expectAll(seen, "owned_game_added");
}

/**
 * Checks `count` answers to pings with ids `first`, `first + 1`, … in that order.
 *
 * @example
 * ```ts
 * import { checkPongs } from "./verify.ts";
 * checkPongs(['{"jsonrpc":"2.0","id":5,"result":null}', '{"jsonrpc":"2.0","id":6,"result":null}'], 5, 2);
 * ```
 */
export function checkPongs(lines: string[], first: number, count: number): void {
  if (lines.length !== count) fail(`expected ${count} answers`, lines.length);
  for (let k = 0; k < count; k++) {
    const m = parse(lines[k], "ping");
    if (m.id !== first + k || m.result !== null) {
      fail(`expected the answer to ping ${first + k}`, m);
    }
  }
}

/**
 * Checks the answer to `get_capabilities`: the token echoed, the test platform.
 *
 * @example
 * ```ts
 * import { checkCapabilities } from "./verify.ts";
 * checkCapabilities(['{"jsonrpc":"2.0","id":1,"result":{"platform_name":"test","features":[],"token":"t"}}'], 1, "t");
 * ```
 */
export function checkCapabilities(lines: string[], id: unknown, token: string): void {
  if (lines.length !== 1) fail("expected one answer to get_capabilities", lines);
  const m = parse(lines[0], "get_capabilities");
  if (m.id !== id || m.result?.token !== token || m.result.platform_name !== "test") {
    fail("expected the capabilities of platform test with our token", m);
  }
}
