import { assert, assertEquals } from "../../tests/assert.ts";
import {
  addSecrets,
  getLogger,
  LogLevel,
  MASK,
  redact,
  scrubSecrets,
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

Deno.test("a huge cache neither crowds out later credentials nor costs a walk through it all", () => {
  const cache: Record<string, string> = {};
  for (let i = 0; i < 100_000; i++) cache[`k${i}`] = `cached-string-number-${i}`;
  addSecrets(cache, { fromCache: true });
  addSecrets({ token: "credential-after-cache" });
  const lines = capture(() => getLogger("test.cache").warning("token credential-after-cache"));
  assert(!lines[0].includes("credential-after-cache"));
  assert(lines[0].includes(MASK));
});

Deno.test("a structure too large to index at once holds lines back, and none shows a value", () => {
  setLogLevel(LogLevel.Info);
  const cache: Record<string, string> = {};
  for (let i = 0; i < 50_000; i++) cache[`k${i}`] = `deferred-cache-value-${i}`;
  const lines = capture(() => {
    addSecrets(cache, { fromCache: true });
    const log = getLogger("test.deferred");
    log.info("held: deferred-cache-value-49999");
    log.info("held too: deferred-cache-value-3");
    // A warning cannot wait: it completes the index, and the held lines go first.
    log.warning("now: deferred-cache-value-49998");
  });
  assertEquals(lines.length, 3);
  assert(lines[0].includes(`held: ${MASK}`), lines[0]);
  assert(lines[1].includes(`held too: ${MASK}`), lines[1]);
  assert(lines[2].includes(`now: ${MASK}`), lines[2]);
  assertEquals(scrubSecrets("x deferred-cache-value-0 y"), `x ${MASK} y`);
});

Deno.test("scrubSecrets masks an author's own secret in an author's own text", () => {
  addSecrets("author-secret-91f3");
  assertEquals(
    scrubSecrets("sent author-secret-91f3 twice: author-secret-91f3"),
    `sent ${MASK} twice: ${MASK}`,
  );
});

Deno.test("lines held for a large structure are written, masked, when the process exits at once", async () => {
  const logger = new URL("./logger.ts", import.meta.url).href;
  const script = `import { addSecrets, getLogger } from "${logger}";
const cache = {};
for (let i = 0; i < 10000; i++) cache["k" + i] = "exit-cache-value-" + i;
addSecrets(cache, { fromCache: true });
getLogger("exit").info("last words exit-cache-value-9999");
Deno.exit(0);`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(stderr.includes(`INFO exit: last words ${MASK}`), stderr);
});

Deno.test("a held line keeps the time it was logged at", async () => {
  setLogLevel(LogLevel.Info);
  const cache: Record<string, string> = {};
  for (let i = 0; i < 50_000; i++) cache[`k${i}`] = `stamped-cache-value-${i}`;
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    addSecrets(cache, { fromCache: true });
    const log = getLogger("test.stamp");
    log.info("held while the index waits");
    const loggedBy = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.warning("written at once");
    assertEquals(lines.length, 2);
    assert(Date.parse(lines[0].split(" ")[0]) <= loggedBy, lines[0]);
  } finally {
    setLogSink(previous);
  }
});
