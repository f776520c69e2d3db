import { assert, assertEquals } from "../../tests/assert.ts";
import {
  addSecrets,
  getLogger,
  LogLevel,
  MASK,
  redact,
  SecretSet,
  setLogLevel,
  setLogSink,
} from "./mod.ts";

function capture(fn: () => void): string[] {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    fn();
  } finally {
    setLogSink(previous);
  }
  return lines;
}

Deno.test("redact masks the named parameters, or all of them, without touching the input", () => {
  const params = { step: "1", credentials: { a: 1 }, cookies: [] };
  assertEquals(redact(params, ["credentials", "cookies"]), {
    step: "1",
    credentials: MASK,
    cookies: MASK,
  });
  assertEquals(redact(params, true), { step: MASK, credentials: MASK, cookies: MASK });
  assertEquals(redact(params, false), params);
  assertEquals(params.credentials, { a: 1 });
  assertEquals(redact("token", true), MASK);
  assertEquals(redact(null, true), null);
});

Deno.test("one record is one line, below the level nothing is formatted", () => {
  setLogLevel(LogLevel.Info);
  let formatted = 0;
  const lines = capture(() => {
    const log = getLogger("test.log");
    log.debug(() => {
      formatted++;
      return "hidden";
    });
    log.warning("first\nsecond");
    log.error("failed", new Error("boom"));
  });
  assertEquals(formatted, 0);
  assertEquals(lines.length, 2);
  for (const line of lines) assertEquals(line.split("\n").length, 2, "one line, ending in \\n");
  assert(lines[0].includes("WARNING test.log: first\\nsecond"));
  assert(lines[1].includes("ERROR test.log: failed: Error: boom"));
});

Deno.test("secrets seen once are scrubbed from every later line, errors and stacks included", () => {
  addSecrets({ token: "tok-4d3c2b1a", nested: ["cookie-value-77"], short: "ok" });
  const lines = capture(() => {
    const log = getLogger("test.secrets");
    log.error("request failed", new Error("bad token tok-4d3c2b1a in cookie-value-77"));
    log.warning("ok is a short word and stays");
  });
  assert(!lines.join("").includes("tok-4d3c2b1a"));
  assert(!lines.join("").includes("cookie-value-77"));
  assert(lines[0].includes(MASK));
  assert(lines[1].includes("ok is a short word"));
});

Deno.test("describing a thrown non-Error never throws", () => {
  const lines = capture(() => {
    getLogger("test.odd").error("odd", Object.create(null));
    getLogger("test.odd").error("odd", Symbol("s"));
  });
  assertEquals(lines.length, 2);
});

Deno.test("a secret set keeps the newest secrets when full; the cache's set keeps its first", () => {
  const newest = new SecretSet({ capacity: 2 });
  newest.addFrom(["secret-one", "secret-two", "secret-three"]);
  assertEquals(newest.scrub("secret-one secret-two secret-three"), `secret-one ${MASK} ${MASK}`);
  const first = new SecretSet({ capacity: 2, evictOldest: false, minLength: 12 });
  first.addFrom({
    a: "cached-value-one",
    b: "cached-value-two",
    c: "cached-value-three",
    d: "short",
  });
  assertEquals(
    first.scrub("cached-value-one cached-value-two cached-value-three short"),
    `${MASK} ${MASK} cached-value-three short`,
  );
});

Deno.test("a huge cache neither crowds out later credentials nor costs a walk through it all", () => {
  const cache: Record<string, string> = {};
  for (let i = 0; i < 200_000; i++) cache[`k${i}`] = `cached-string-number-${i}`;
  addSecrets(cache, { fromCache: true });
  addSecrets({ token: "credential-after-cache" });
  const lines = capture(() => getLogger("test.cache").warning("token credential-after-cache"));
  assert(!lines[0].includes("credential-after-cache"));
  assert(lines[0].includes(MASK));
});

Deno.test("a secret is also scrubbed in its JSON-escaped form", () => {
  const secrets = new SecretSet();
  secrets.addFrom({ password: 'pa"ss\\word\n42' });
  const logged = JSON.stringify({ password: 'pa"ss\\word\n42' });
  assertEquals(secrets.scrub(logged), `{"password":"${MASK}"}`);
});
