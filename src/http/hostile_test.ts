// The client against hostile or broken backends (issue 15), each a real Deno.serve on
// 127.0.0.1 or 127.0.0.2 (another host, so that the jar's cookie rules are tested too).
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { assert, assertEquals, assertMatch, assertRejects } from "../../tests/assert.ts";
import { addSecrets, getLogger, setLogSink } from "../log/mod.ts";
import { type ApplicationError, UnknownBackendResponse } from "../protocol/mod.ts";
import { HttpClient } from "./mod.ts";

const QUIET = { onListen() {} };
// Refusals are logged at warning: a passing run shows none of it.
setLogSink(() => {});

function refusedAs(pattern: RegExp) {
  return (error: unknown) => {
    assert(error instanceof UnknownBackendResponse, `not UnknownBackendResponse: ${error}`);
    assertMatch((error as Error).message, pattern);
    return true;
  };
}

/** Runs `body` with log lines collected; returns them. */
async function logged(body: () => Promise<void> | void): Promise<string> {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    await body();
  } finally {
    setLogSink(previous);
  }
  return lines.join("");
}

Deno.test("a redirect to file: or data: is refused, not read", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/local-secret.txt`;
  await Deno.writeTextFile(file, "a local file the backend must not read");
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, (request) => {
    const to = new URL(request.url).searchParams.get("to")!;
    return new Response(null, { status: 302, headers: { location: to } });
  });
  const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/` });
  try {
    for (const to of [`file://${file}`, "data:text/plain,made-up", "javascript:alert(1)"]) {
      const scheme = to.slice(0, to.indexOf(":") + 1);
      await assertRejects(
        () => http.get("go", { query: { to } }),
        refusedAs(new RegExp(`redirect to a ${scheme} URL refused`)),
      );
    }
    // The author's own URL is checked as well: fetch would read it.
    await assertRejects(() => http.get(`file://${file}`), (e) => {
      assert(e instanceof TypeError && /not an http or https URL/.test(e.message), String(e));
      return true;
    });
  } finally {
    http.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("credentials of every form stay with their origin across a redirect", async () => {
  const seen: Record<string, string>[] = [];
  await using other = Deno.serve({ hostname: "127.0.0.2", port: 0, ...QUIET }, (request) => {
    seen.push(Object.fromEntries(request.headers));
    return Response.json({ ok: true });
  });
  const elsewhere = `http://127.0.0.2:${other.addr.port}/landing`;
  await using home = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/away") return Response.redirect(elsewhere, 302);
    if (path === "/stay") return Response.redirect(new URL("/landing", request.url), 307);
    if (path === "/landing") {
      seen.push(Object.fromEntries(request.headers));
      return Response.json({ ok: true });
    }
    return new Response("login", { headers: { "set-cookie": "jar-session=jar-s3cret-1; Path=/" } });
  });
  const authorized: string[] = [];
  const http = new HttpClient({
    baseUrl: `http://127.0.0.1:${home.addr.port}/`,
    headers: {
      authorization: "Bearer default-b3arer",
      cookie: "default-cookie=d3fault-c00kie",
      "x-api-key": "default-ap1-key",
      "user-agent": "galaxy-ts-test",
    },
    authorize: (headers, url) => {
      authorized.push(url.host);
      headers.set("x-authorized", "from-authorize-f00");
    },
  });
  try {
    await http.get("login");
    const perRequest = {
      "x-session-token": "per-request-s3ss",
      cookie: "own=per-request-c00kie",
      "accept-language": "en-GB",
    };
    await http.get("stay", { headers: perRequest });
    await http.get("away", { headers: perRequest });
  } finally {
    http.close();
  }
  const [sameOrigin, crossOrigin] = seen;
  // Within the origin, everything goes: the test would prove nothing otherwise.
  assertEquals(sameOrigin["authorization"], "Bearer default-b3arer");
  assertEquals(sameOrigin["x-api-key"], "default-ap1-key");
  assertEquals(sameOrigin["x-session-token"], "per-request-s3ss");
  assertEquals(sameOrigin["x-authorized"], "from-authorize-f00");
  assertEquals(sameOrigin["cookie"], "own=per-request-c00kie; jar-session=jar-s3cret-1");
  // Across origins, only content negotiation and the agent.
  assertEquals(crossOrigin["user-agent"], "galaxy-ts-test");
  assertEquals(crossOrigin["accept-language"], "en-GB");
  for (const name of ["authorization", "cookie", "x-api-key", "x-session-token", "x-authorized"]) {
    assertEquals(crossOrigin[name], undefined, `${name} crossed to another origin`);
  }
  const port = home.addr.port;
  assertEquals(
    authorized,
    Array(4).fill(`127.0.0.1:${port}`),
    "authorize is asked within the origin only",
  );
});

Deno.test("compressed bodies are cut at the limit of decoded bytes; deflate is decoded", async () => {
  // A bomb 64 times the limit; the limit small, so that making the bombs takes no time.
  const limit = 64 * 1024;
  const zeros = new Uint8Array(64 * limit);
  const json = new TextEncoder().encode(JSON.stringify({ games: Array(1000).fill("g") }));
  const bodies: Record<string, [Uint8Array<ArrayBuffer>, string]> = {
    "/bomb.br": [new Uint8Array(brotliCompressSync(zeros)), "br"],
    "/bomb.gz": [new Uint8Array(gzipSync(zeros)), "gzip"],
    "/bomb.deflate": [new Uint8Array(deflateSync(zeros)), "deflate"],
    "/json.deflate": [new Uint8Array(deflateSync(json)), "deflate"],
    "/exact.gz": [new Uint8Array(gzipSync(zeros.subarray(0, limit))), "gzip"],
    "/over.gz": [new Uint8Array(gzipSync(zeros.subarray(0, limit + 1))), "gzip"],
    "/exact": [zeros.subarray(0, limit), "identity"],
  };
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, (request) => {
    const [body, encoding] = bodies[new URL(request.url).pathname];
    return new Response(body, { headers: { "content-encoding": encoding } });
  });
  const http = new HttpClient({
    baseUrl: `http://127.0.0.1:${server.addr.port}/`,
    maxResponseBytes: limit,
  });
  const log = await logged(async () => {
    for (const path of ["bomb.br", "bomb.gz", "bomb.deflate", "over.gz"]) {
      await assertRejects(() => http.get(path), refusedAs(/larger than 65536 bytes/));
    }
  });
  assertMatch(log, /WARNING galaxy\.http: GET .*bomb\.br: the response is larger/);
  assertEquals(await http.getJson("json.deflate"), { games: Array(1000).fill("g") });
  assertEquals((await http.get("exact.gz")).body.length, limit);
  assertEquals((await http.get("exact")).body.length, limit);
  http.close();
});

Deno.test("an invalid limit is refused when the client is made, not read as no limit", () => {
  const bad: [string, Record<string, unknown>][] = [
    ["maxResponseBytes", { maxResponseBytes: NaN }],
    ["maxResponseBytes", { maxResponseBytes: -1 }],
    ["maxResponseBytes", { maxResponseBytes: 1.5 }],
    ["maxResponseBytes", { maxResponseBytes: Infinity }],
    ["maxConcurrency", { maxConcurrency: 0 }],
    ["maxRedirects", { maxRedirects: NaN }],
    ["timeoutMs", { timeoutMs: NaN }],
    ["connectTimeoutMs", { connectTimeoutMs: -5 }],
    ["retry.attempts", { retry: { attempts: NaN } }],
    ["retry.maxElapsedMs", { retry: { maxElapsedMs: Infinity } }],
  ];
  for (const [name, options] of bad) {
    let error: unknown;
    try {
      new HttpClient(options).close();
    } catch (e) {
      error = e;
    }
    assert(error instanceof RangeError, `${JSON.stringify(options)} was accepted`);
    assertMatch(error.message, new RegExp(`^HttpClient: ${name.replace(".", "\\.")} must be`));
  }
  new HttpClient({ maxResponseBytes: 0, maxRedirects: 0 }).close();
});

Deno.test("a Set-Cookie flood neither grows the jar without bound nor evicts a secret", async () => {
  const token = "credential-t0ken-that-must-stay-masked";
  addSecrets(token);
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, (request) => {
    const url = new URL(request.url);
    if (url.pathname === "/echo") {
      return Response.json({ cookie: request.headers.get("cookie") ?? "" });
    }
    const headers = new Headers();
    if (url.pathname === "/huge") {
      headers.append("set-cookie", `huge=${"x".repeat(60_000)}`);
      return new Response("huge", { headers });
    }
    const from = Number(url.searchParams.get("from"));
    for (let i = from; i < from + 80; i++) {
      headers.append("set-cookie", `flood${i}=value-number-${i}-xxxxxxxx`);
    }
    return new Response("flooded", { headers });
  });
  const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/` });
  await http.get("huge");
  for (let from = 0; from < 2000; from += 80) await http.get("flood", { query: { from } });
  const { cookie } = await http.getJson("echo") as { cookie: string };
  http.close();
  const names = cookie.split("; ").map((pair) => pair.slice(0, pair.indexOf("=")));
  // A browser's limit per domain; the newest kept, the 60 KB cookie dropped.
  assertEquals(names.length, 50);
  assertEquals(names.at(-1), "flood1999");
  assert(!names.includes("huge"));
  const log = await logged(() => getLogger("test").warning(`the token is ${token}`));
  assert(!log.includes(token), `a cookie flood evicted the credential: ${log}`);
});

Deno.test("getJson of a body that is not UTF-8 is UnknownBackendResponse", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, ...QUIET },
    () => new Response(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])),
  );
  const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/` });
  await assertRejects(() => http.getJson("x"), refusedAs(/the body is not valid UTF-8/));
  // The text stays readable for an author who wants it anyway.
  assertEquals((await http.get("x")).text(), '{"a":"\uFFFD"}');
  http.close();
});

Deno.test("a body that does not decode is UnknownBackendResponse", async () => {
  // A gzip header, then bytes that are no deflate stream.
  const broken = new Uint8Array(gzipSync(new TextEncoder().encode("hello"))).subarray(0, 10);
  const body = new Uint8Array([...broken, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, ...QUIET },
    () => new Response(body, { headers: { "content-encoding": "gzip" } }),
  );
  const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/`, retry: false });
  await logged(() =>
    assertRejects(() => http.get("x"), (e) => {
      assertEquals((e as ApplicationError).code, UnknownBackendResponse.code, String(e));
      return true;
    })
  );
  http.close();
});
