import { assertEquals } from "../../tests/assert.ts";
import { batchNumbers, topLevelNumber } from "./raw_id.ts";

Deno.test("topLevelNumber finds only the top-level member, whatever surrounds it", () => {
  assertEquals(topLevelNumber('{"id":12345678901234567890}', "id"), "12345678901234567890");
  assertEquals(topLevelNumber('{ "id" :\t-1.5e300 , "x": 1}', "id"), "-1.5e300");
  assertEquals(topLevelNumber('{"params":{"id":1},"id":2}', "id"), "2");
  assertEquals(topLevelNumber('{"params":[{"id":1}],"id":3}', "id"), "3");
  assertEquals(topLevelNumber('{"method":"id","id":4}', "id"), "4");
  assertEquals(topLevelNumber('{"a":"\\\\","id":5}', "id"), "5");
  assertEquals(topLevelNumber('{"params":{"id":1}}', "id"), undefined);
  assertEquals(topLevelNumber('{"id":"text"}', "id"), undefined);
});

Deno.test("an escaped quote does not end a string: a key after it is still found", () => {
  // A scanner that ignored backslashes would end the first value at \" and read the rest
  // out of phase, missing the id.
  assertEquals(
    topLevelNumber('{"a":"\\"","id":12345678901234567890}', "id"),
    "12345678901234567890",
  );
  assertEquals(
    batchNumbers('[{"a":"\\"","id":12345678901234567891}]', "id"),
    ["12345678901234567891"],
  );
});

Deno.test("batchNumbers gives each element its own id, whatever the other elements are", () => {
  const batch =
    '[ {"id":9007199254740993} , "x", [1,{"id":2}], {"p":{"id":3},"id":9007199254740995} ]';
  assertEquals(batchNumbers(batch, "id"), [
    "9007199254740993",
    undefined,
    undefined,
    "9007199254740995",
  ]);
  assertEquals(batchNumbers('{"id":1}', "id"), []);
});
