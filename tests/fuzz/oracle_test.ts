// The oracle's own checks: each must be able to fail, or the fuzz finds nothing.
import { assert, assertEquals } from "../assert.ts";
import { checkImports, expectLine, parseWithIds, rawIdOf } from "./oracle.ts";
import { IMPORTS, NOTIFICATIONS, REQUESTS } from "./methods.ts";
import { paramsShape } from "./structured.ts";

const times = IMPORTS.start_game_times_import;
const success = (id: string) => ({
  method: times.success,
  params: { game_time: { game_id: id, time_played: 1 } },
});
const failure = (id: string, code: number) => ({
  method: times.failure,
  params: { game_id: id, error: { code, message: "m", data: { internal_type: "X" } } },
});
const finished = { method: times.finished, params: null };

Deno.test("fuzz oracle: every method of the table has params the generator can walk", () => {
  for (const method of [...Object.keys(REQUESTS), ...Object.keys(NOTIFICATIONS)]) {
    assertEquals(paramsShape(method).t, "object");
  }
});

Deno.test("fuzz oracle: an import owes one outcome per id and one finished per start", () => {
  const method = "start_game_times_import";
  const ok = [success("g1"), failure("x", 6), finished, success("g2"), finished];
  assertEquals(checkImports(method, [["g1", "x"], ["g2"]], ok, false), null);
  // A missing finished, a second outcome, a wrong code, an id nobody asked for.
  assert(checkImports(method, [["g1", "x"], ["g2"]], ok.slice(0, 4), false));
  assert(checkImports(method, [["g1"]], [success("g1"), success("g1"), finished], false));
  assert(checkImports(method, [["x"]], [failure("x", 4), finished], false));
  assert(checkImports(method, [["g1"]], [success("g9"), finished], false));
  assert(checkImports(method, [["g1"]], [finished, success("g1")], false));
  // After a shutdown the last import may stop short, but never send more than it owes.
  assertEquals(checkImports(method, [["g1", "g2"]], [success("g1")], true), null);
  assert(checkImports(method, [["g1"]], [success("g1"), success("g1")], true));
  // A queued import whose prepare failed: every id fails with that error.
  const queued = [["prepare_fail", "g1"]];
  assertEquals(
    checkImports(method, queued, [failure("prepare_fail", 3), failure("g1", 3), finished], false),
    null,
  );
});

Deno.test("fuzz oracle: an id beyond 2^53 must come back as sent", () => {
  const line = '{"jsonrpc":"2.0","id":12345678901234567890123,"method":"ping","params":{}}';
  const [e] = expectLine(new TextEncoder().encode(line), { token: "t", refreshScript: [] });
  assert(!("batch" in e) && e.rawId === "12345678901234567890123");
  const answer = parseWithIds('{"id":12345678901234567890000}') as object;
  assert(rawIdOf(answer) !== e.rawId);
  const batch = parseWithIds('[{"id":9007199254740993}]') as object[];
  assertEquals(rawIdOf(batch[0]), "9007199254740993");
});

Deno.test("fuzz oracle: bad params get -32602 from the table's schemas", () => {
  const ctx = { token: "t", refreshScript: [] };
  const line = (params: unknown) =>
    new TextEncoder().encode(
      JSON.stringify({ jsonrpc: "2.0", id: "1", method: "start_game_times_import", params }),
    );
  const [bad] = expectLine(line({ game_ids: [1] }), ctx);
  assert(!("batch" in bad) && bad.codes[0] === -32602);
  const [good] = expectLine(line({ game_ids: ["g1"] }), ctx);
  assert(!("batch" in good) && good.importIds?.[0] === "g1");
});
