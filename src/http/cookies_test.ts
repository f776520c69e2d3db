import { assertEquals, assertThrows } from "../../tests/assert.ts";
import { CookieJar } from "./mod.ts";

const at = (url: string) => new URL(url);

Deno.test("Domain, Path and Secure decide where a cookie goes", () => {
  const jar = new CookieJar();
  jar.setFromResponse(at("https://login.store.example/a/b"), [
    "wide=1; Domain=store.example; Path=/",
    "narrow=2",
    "api=3; Path=/api",
    "safe=4; Secure; Path=/",
    "foreign=5; Domain=other.example",
  ]);
  // Without Domain, a cookie stays with the host that set it.
  assertEquals(jar.header(at("https://api.store.example/")), "wide=1");
  assertEquals(jar.header(at("http://login.store.example/a/c")), "narrow=2; wide=1");
  assertEquals(jar.header(at("https://login.store.example/api/x")), "api=3; wide=1; safe=4");
  assertEquals(jar.header(at("https://login.store.example/apix")), "wide=1; safe=4");
  assertEquals(jar.header(at("https://other.example/")), undefined);
});

Deno.test("expiry and replacement; changes are reported", () => {
  let changes = 0;
  const jar = new CookieJar([], () => changes++);
  const url = at("http://127.0.0.1/");
  jar.setFromResponse(url, ["a=1", "b=2; Max-Age=3600"]);
  jar.setFromResponse(url, ["a=changed"]);
  assertEquals(jar.header(url), "a=changed; b=2");
  jar.setFromResponse(url, ["b=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
  assertEquals(jar.header(url), "a=changed");
  assertEquals(changes, 3);
});

Deno.test("the jar round-trips through JSON and takes Galaxy's browser cookies", () => {
  const jar = new CookieJar([{ name: "sid", value: "x1", domain: ".store.example", path: "/" }]);
  assertEquals(jar.header(at("https://www.store.example/")), "sid=x1");
  const copy = new CookieJar(JSON.parse(JSON.stringify(jar)));
  assertEquals(copy.header(at("https://www.store.example/")), "sid=x1");
  assertThrows(() => jar.set({ name: "n", value: "v" }), (e) => e instanceof TypeError);
});
