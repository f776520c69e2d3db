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
