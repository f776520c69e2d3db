import { assertEquals } from "../../tests/assert.ts";
import { topLevelNumber } from "./raw_id.ts";

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
