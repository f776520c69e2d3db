import { assert, assertEquals } from "../../tests/assert.ts";
import { MASK } from "./redact.ts";
import { SecretSet } from "./secrets.ts";

const TOKEN = "tok-8f2e61c0a9";

Deno.test("a secret is found whatever the shape that brought it", () => {
  const shapes: Record<string, unknown> = {
    "after 511 strings": { pad: Array.from({ length: 511 }, (_, i) => `padding-${i}`), t: TOKEN },
    "after 4,096 values": { pad: Array.from({ length: 5000 }, (_, i) => i), t: TOKEN },
    "20 levels deep": Array.from({ length: 20 }).reduce((inner) => ({ inner }), { t: TOKEN }),
    "in an array of arrays": [[[[[[[[[[[TOKEN]]]]]]]]]]],
    "after 300 long strings": {
      ...Object.fromEntries(
        Array.from({ length: 300 }, (_, i) => [`k${i}`, `a long cached value ${i}`]),
      ),
      t: TOKEN,
    },
  };
  for (const [shape, value] of Object.entries(shapes)) {
    const secrets = new SecretSet();
    secrets.addFrom(value);
    assertEquals(secrets.scrub(`got ${TOKEN}.`), `got ${MASK}.`, shape);
  }
});

Deno.test("a numeric token is a secret too", () => {
  const secrets = new SecretSet();
  secrets.addFrom({ user: 1, token: 738491027364 });
  assertEquals(secrets.scrub('{"token":738491027364,"user":1}'), `{"token":${MASK},"user":1}`);
});

Deno.test("a flood of values never pushes out a secret registered before it", () => {
  const secrets = new SecretSet();
  secrets.addFrom({ token: TOKEN });
  for (let i = 0; i < 100_000; i++) secrets.add(`cookie-value-${i}`);
  assertEquals(secrets.scrub(`a ${TOKEN} b cookie-value-99999`), `a ${MASK} b ${MASK}`);
});

Deno.test("cookie names, domains and paths stay readable; values are masked", () => {
  const secrets = new SecretSet();
  const value = "eyJ1c2VyIjoxMjM0NTY3ODkwfQ.c2lnbmF0dXJl";
  secrets.addFrom({
    cookie: { name: "_simpleauth_sess", value, domain: ".humblebundle.com", path: "/" },
    cookies: [{ name: "session", value: "second-cookie-value", domain: "www.humblebundle.com" }],
  });
  const url = "https://www.humblebundle.com/api/v1/user/order?ajax=true";
  assertEquals(secrets.scrub(url), url);
  assertEquals(secrets.scrub("session_file.json"), "session_file.json");
  assertEquals(
    secrets.scrub(`Cookie: _simpleauth_sess=${value}`),
    `Cookie: _simpleauth_sess=${MASK}`,
  );
  assertEquals(secrets.scrub("x=second-cookie-value"), `x=${MASK}`);
});

Deno.test("the longest secret wins where two overlap, and short strings are not secrets", () => {
  const secrets = new SecretSet();
  secrets.addFrom(["abcdef", "abcdefghij", "ok"]);
  assertEquals(secrets.scrub("abcdefghij abcdefg ok"), `${MASK} ${MASK}g ok`);
});

Deno.test("a secret is also scrubbed in its JSON-escaped form", () => {
  const secrets = new SecretSet();
  secrets.addFrom({ password: 'pa"ss\\word\n42' });
  const logged = JSON.stringify({ password: 'pa"ss\\word\n42' });
  assertEquals(secrets.scrub(logged), `{"password":"${MASK}"}`);
});

Deno.test("a structure with a cycle is walked once", () => {
  const a: Record<string, unknown> = { token: TOKEN };
  a.self = a;
  const secrets = new SecretSet();
  secrets.addFrom(a);
  assert(secrets.size >= 1);
  assertEquals(secrets.scrub(TOKEN), MASK);
});

Deno.test("a hundred thousand cached values are indexed and each is found", () => {
  const secrets = new SecretSet();
  const cache: Record<string, string> = {};
  for (let i = 0; i < 100_000; i++) cache[`key_${i}`] = `value ${i} of the persistent cache`;
  secrets.addFrom(cache, 12);
  assertEquals(secrets.scrub("[value 77777 of the persistent cache]"), `[${MASK}]`);
  assertEquals(secrets.scrub("value 1 of"), "value 1 of");
});

Deno.test("a URL value keeps where it goes readable and masks what it carries", () => {
  const secrets = new SecretSet();
  const endUri =
    "https://user:pa55word@www.humblebundle.com/login/done?code=c0de-8f2e61&state=s7a7e-value#access_token=t0ken-91ab";
  secrets.addFrom({ end_uri: endUri });
  assertEquals(
    secrets.scrub(endUri),
    `https://user:${MASK}@www.humblebundle.com/login/done?code=${MASK}&state=${MASK}#access_token=${MASK}`,
  );
  assertEquals(
    secrets.scrub("https://www.humblebundle.com/login"),
    "https://www.humblebundle.com/login",
  );
});

Deno.test("a few secrets are masked as the scan of many masks them: leftmost, then longest", () => {
  const secrets = ["123456", "3456789012", "abcdefgh", "abcdefghij", "defghijk", "zzzzzz"];
  const few = new SecretSet();
  const many = new SecretSet();
  for (const secret of secrets) {
    few.add(secret);
    many.add(secret);
  }
  // Secrets that never occur, so that `many` has too many for the short path.
  for (let k = 0; k < 40; k++) many.add(`never-${k}-occurs`);
  const texts = [
    "1234567890123",
    "x abcdefghijk y abcdefgh z",
    "zzzzzzzzzzzz and zzzzz",
    "3456789012 123456 abcdefghij",
    "none here",
  ];
  for (const text of texts) {
    assertEquals(few.scrub(text), many.scrub(text), text);
    assert(!few.scrub(text).includes("123456") && !few.scrub(text).includes("abcdefgh"), text);
  }
  assertEquals(few.scrub("1234567890123"), "****7890123");
  assertEquals(few.scrub("zzzzzzzzzzzz and zzzzz"), "******** and zzzzz");
});
