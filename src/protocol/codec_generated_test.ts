// The generated fast path of object encoders must agree with the reference path: same
// output on good records, the same explained RecordError on bad ones, whatever the keys.
import * as v from "npm:valibot@^1.2.0";
import { assertEquals } from "../../tests/assert.ts";
import { compileEncoder, RecordError } from "./codec.ts";
import { listEncoders } from "./mod.ts";

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordError) return e.message;
    throw e;
  }
  throw new Error("expected a RecordError");
}

Deno.test("a warmed encoder still explains a bad record with its full path", () => {
  const games = Array.from({ length: 2000 }, (_, i) => ({
    gameId: `g${i}`,
    gameTitle: `Game ${i}`,
    licenseInfo: { licenseType: "SinglePurchase" },
    dlcs: [{ dlcId: `d${i}`, dlcTitle: `DLC ${i}`, licenseInfo: { licenseType: "Unknown" } }],
  }));
  assertEquals((listEncoders.Game(games) as unknown[]).length, 2000);
  const bad = structuredClone(games);
  bad[1500].dlcs[0].dlcTitle = 7 as unknown as string;
  assertEquals(
    failure(() => listEncoders.Game(bad)),
    "[1500].dlcs[0].dlcTitle: expected a string, received 7",
  );
  const extra = structuredClone(games);
  (extra[3] as Record<string, unknown>).price = 1;
  assertEquals(
    failure(() => listEncoders.Game(extra)).startsWith("[3].price: expected no such"),
    true,
  );
});

Deno.test("generated code is safe with any schema key, and keeps defaults and omissions", () => {
  const encode = compileEncoder(v.strictObject({
    'we"ird\\Key': v.string(),
    "a-b c": v.nullish(v.number(), 5),
    plainTitle: v.nullish(v.string()),
  }));
  for (let i = 0; i < 3; i++) {
    assertEquals(encode({ 'we"ird\\Key': "x", plainTitle: null }), {
      'we"ird\\_key': "x",
      "a-b c": 5,
    });
  }
  assertEquals(
    failure(() => encode({ 'we"ird\\Key': 1 })),
    'we"ird\\Key: expected a string, received 1',
  );
  const loose = compileEncoder(v.object({ aB: v.string() }));
  assertEquals(loose({ aB: "1", other: 2 }), { a_b: "1" });
});

Deno.test("leaves checked inline by generated code: integers within bounds, picklists, booleans", () => {
  const encode = compileEncoder(v.pipe(
    v.strictObject({
      n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3)),
      at: v.nullish(v.pipe(v.number(), v.integer())),
      kind: v.picklist(["a", "b"]),
      flag: v.nullish(v.boolean()),
      // A wrapper's own validation is the wrapper's encoder's, not inlined.
      count: v.pipe(v.nullish(v.number()), v.check((x) => x !== 7, "not 7")),
    }),
    v.check((x) => x.n !== 2 || x.kind === "b", "n 2 only of kind b"),
  ));
  for (let i = 0; i < 3; i++) {
    assertEquals(encode({ n: 3, at: -0, kind: "a", flag: false, count: 1.5 }), {
      n: 3,
      at: -0,
      kind: "a",
      flag: false,
      count: 1.5,
    });
    assertEquals(encode({ n: 2, kind: "b", at: null }), { n: 2, kind: "b" });
  }
  const bad: [Record<string, unknown>, string][] = [
    [{ n: 4, kind: "a" }, "n: expected a value of at most 3, received 4"],
    [{ n: -1, kind: "a" }, "n: expected a value of at least 0, received -1"],
    [{ n: 1.5, kind: "a" }, "n: expected an integer, received 1.5"],
    [{ n: "1", kind: "a" }, 'n: expected a number, received "1"'],
    [{ n: 1, kind: "a", at: Infinity }, "at: expected an integer, received Infinity"],
    [{ n: 1, kind: "c" }, 'kind: expected one of "a", "b", received "c"'],
    [{ n: 1, kind: "a", flag: 0 }, "flag: expected a boolean, received 0"],
    [{ n: 1, kind: "a", count: 7 }, "count: expected not 7, received 7"],
    [{ n: 2, kind: "a" }, "expected n 2 only of kind b, received an object"],
  ];
  for (const [record, message] of bad) assertEquals(failure(() => encode(record)), message);
});
