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

Deno.test("Secure cookies: set over https only, never replaced or removed from http", () => {
  const jar = new CookieJar();
  jar.setFromResponse(at("http://store.example/"), ["plain-secure=1; Secure"]);
  assertEquals(jar.size, 0, "a Secure cookie from plain http is refused");
  jar.setFromResponse(at("https://store.example/"), ["sid=from-https; Secure; Path=/"]);
  jar.setFromResponse(at("http://store.example/"), ["sid=from-http; Path=/"]);
  jar.setFromResponse(at("http://store.example/a/"), ["sid=shadow; Path=/a"]);
  jar.setFromResponse(at("http://store.example/"), ["sid=gone; Max-Age=0"]);
  assertEquals(jar.header(at("https://store.example/a/b")), "sid=from-https");
  assertEquals(jar.header(at("http://store.example/a/b")), undefined);
  // From https it can be replaced as usual.
  jar.setFromResponse(at("https://store.example/"), ["sid=renewed; Secure; Path=/"]);
  assertEquals(jar.header(at("https://store.example/")), "sid=renewed");
});

Deno.test("the __Secure- and __Host- prefixes are kept only when their rules hold", () => {
  const jar = new CookieJar();
  const url = at("https://www.store.example/x/y");
  jar.setFromResponse(url, [
    "__Secure-a=1",
    "__Secure-b=2; Secure",
    "__Host-c=3; Secure",
    "__Host-d=4; Secure; Path=/; Domain=store.example",
    "__Host-e=5; Secure; Path=/",
  ]);
  assertEquals(jar.header(at("https://www.store.example/x/z")), "__Secure-b=2; __Host-e=5");
});

Deno.test("browser limits: 4096 bytes a cookie, 50 a domain, oldest evicted", () => {
  const jar = new CookieJar();
  const url = at("https://store.example/");
  jar.setFromResponse(url, [`big=${"x".repeat(4094)}`, `huge=${"x".repeat(4092)}`]);
  assertEquals(jar.toJSON().map((c) => c.name), ["huge"], "4 + 4092 bytes fit, 3 + 4094 do not");
  jar.clear();
  jar.setFromResponse(url, Array.from({ length: 60 }, (_, i) => `c${i}=${i}`));
  const names = jar.toJSON().map((c) => c.name);
  assertEquals(names.length, 50);
  assertEquals([names[0], names.at(-1)], ["c10", "c59"]);
  // Replacing a cookie does not count twice, nor evict another.
  jar.setFromResponse(url, ["c10=again"]);
  assertEquals(jar.size, 50);
  // Other domains have their own count.
  jar.setFromResponse(at("https://other.example/"), ["o=1"]);
  assertEquals(jar.size, 51);
  assertThrows(() => jar.set({ name: "n", value: "v".repeat(5000), domain: "a.example" }));
});

Deno.test("values are sent as set: quotes kept; an author's odd value quoted as aiohttp does", () => {
  const jar = new CookieJar();
  const url = at("https://store.example/");
  jar.setFromResponse(url, ['q="quoted value"', "plain=abc"]);
  assertEquals(jar.header(url), 'q="quoted value"; plain=abc');
  jar.clear();
  jar.set({ name: "spaced", value: 'a b"c;d', domain: "store.example" });
  jar.set({ name: "token", value: "eyJhbGciOi.x-y_z=", domain: "store.example" });
  assertEquals(jar.header(url), 'spaced="a b\\"c\\073d"; token=eyJhbGciOi.x-y_z=');
  // Round-tripped through JSON, the value stays what is sent.
  assertEquals(new CookieJar(jar.toJSON()).header(url), jar.header(url));
});

Deno.test("a cookie set without a domain is for the host of the given URL only", () => {
  const jar = new CookieJar();
  jar.set({ name: "_simpleauth_sess", value: "t0k3n" }, at("https://www.store.example/login"));
  assertEquals(jar.header(at("https://www.store.example/api")), "_simpleauth_sess=t0k3n");
  assertEquals(jar.header(at("https://api.www.store.example/")), undefined);
  assertEquals(jar.header(at("https://store.example/")), undefined);
  assertThrows(() => jar.set({ name: "n", value: "v" }), (e) => {
    return e instanceof TypeError && /jar\.set\(cookie, url\)/.test(e.message);
  });
});
