// The client against real servers on 127.0.0.1: Deno.serve (plain and TLS with a CA made
// here) and raw TCP listeners for connections that close or never answer.
import * as v from "npm:valibot@^1.2.0";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertThrows,
} from "../../tests/assert.ts";
import { getLogger, LogLevel, setLogLevel, setLogSink } from "../log/mod.ts";
import {
  AccessDenied,
  type ApplicationError,
  AuthenticationRequired,
  BackendError,
  BackendNotAvailable,
  BackendTimeout,
  NetworkError,
  TooManyRequests,
  UnknownBackendResponse,
  UnknownError,
} from "../protocol/mod.ts";
import { HttpClient, type HttpClientOptions, type RequestOptions } from "./mod.ts";

const QUIET = { onListen() {} };
// The client logs every failure at warning: a passing run shows none of it. Tests that read
// the log set a sink of their own and put this one back.
setLogSink(() => {});

/** A backend whose behaviour is picked by the path; counts hits per path. */
function startBackend() {
  const hits = new Map<string, number>();
  let inFlight = 0;
  let mostInFlight = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, async (request) => {
    const url = new URL(request.url);
    const hit = (hits.get(url.pathname) ?? 0) + 1;
    hits.set(url.pathname, hit);
    const [, route, arg] = url.pathname.split("/");
    switch (route) {
      case "status":
        // 204 and 304 may not have a body.
        return new Response(/^[23]04$/.test(arg) ? null : `status ${arg}`, { status: Number(arg) });
      case "json":
        return Response.json({ games: [{ id: "1", title: "One" }] });
      case "notjson":
        return new Response("<html>maintenance</html>", {
          headers: { "content-type": "text/html" },
        });
      case "hang":
        // Longer than the timeouts tried; short enough not to hold the server's shutdown.
        await new Promise((resolve) => setTimeout(resolve, 600));
        return new Response("late");
      case "big": {
        // No Content-Length: the client must stop reading by itself.
        const chunk = new Uint8Array(64 * 1024);
        let sent = 0;
        return new Response(
          new ReadableStream({
            pull(controller) {
              if (sent++ < 64) controller.enqueue(chunk);
              else controller.close();
            },
          }),
        );
      }
      case "announced":
        return new Response(new Uint8Array(200_000));
      case "ratelimited":
        return hit === 1
          ? new Response("slow down", { status: 429, headers: { "retry-after": "1" } })
          : Response.json({ ok: true, hit });
      case "unavailable":
        return new Response("down", { status: 503 });
      case "me":
        return request.headers.get("authorization") === "Bearer fresh-token-1"
          ? Response.json({ id: "u1" })
          : new Response("expired", { status: 401 });
      case "login":
        return new Response("ok", {
          headers: [["set-cookie", "session=s3cr3t-session; Path=/; HttpOnly"], [
            "set-cookie",
            "theme=dark",
          ]],
        });
      case "echo-cookie":
        return Response.json({ cookie: request.headers.get("cookie") });
      case "redirect":
        return new Response(null, {
          status: 302,
          headers: { location: "/echo-cookie", "set-cookie": "hop=1; Path=/" },
        });
      case "slow": {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((r) => setTimeout(r, 10));
        inFlight--;
        return Response.json({ n: arg });
      }
      case "echo":
        return Response.json({ body: await request.text(), url: request.url });
    }
    return new Response("no such route", { status: 404 });
  });
  return {
    server,
    url: `http://127.0.0.1:${server.addr.port}/`,
    hits,
    get mostInFlight() {
      return mostInFlight;
    },
  };
}

/** A TCP server that accepts, reads the request, and closes without answering. */
function startCloser() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const done = (async () => {
    for await (const conn of listener) {
      connections++;
      await conn.read(new Uint8Array(4096)).catch(() => null);
      conn.close();
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${listener.addr.port}/`,
    get connections() {
      return connections;
    },
    async close() {
      listener.close();
      await done;
    },
  };
}

const FAST_RETRY: HttpClientOptions["retry"] = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

function is(Class: { code: number }, status?: number) {
  return (error: unknown) => {
    const e = error as ApplicationError;
    assertEquals(e.code, Class.code, `expected code ${Class.code}, got ${e.code}: ${e.message}`);
    if (status !== undefined) assertEquals(e.data.status, status);
    return true;
  };
}

Deno.test("statuses map to the reference's Galaxy errors", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, retry: false });
  const table: [number, { code: number }][] = [
    [400, UnknownError],
    [401, AuthenticationRequired],
    [403, AccessDenied],
    [404, UnknownError],
    [429, TooManyRequests],
    [500, BackendError],
    [502, BackendError],
    [503, BackendNotAvailable],
    [504, BackendError],
    [304, UnknownBackendResponse],
  ];
  for (const [status, Class] of table) {
    await assertRejects(() => http.get(`status/${status}`), is(Class, status));
  }
  assertEquals((await http.get("status/204")).status, 204);
  http.close();
  await backend.server.shutdown();
});

Deno.test("JSON is parsed and checked against a schema", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url });
  const Games = v.object({ games: v.array(v.object({ id: v.string(), title: v.string() })) });
  assertEquals((await http.getJson("json", Games)).games[0].title, "One");
  await assertRejects(() => http.getJson("notjson", Games), (e) => {
    is(UnknownBackendResponse)(e);
    assertMatch((e as Error).message, /not JSON/);
    return true;
  });
  const Wrong = v.object({ games: v.array(v.object({ id: v.number() })) });
  await assertRejects(() => http.getJson("json", Wrong), (e) => {
    is(UnknownBackendResponse)(e);
    assertMatch((e as Error).message, /games\.0\.id/);
    assert(!(e as Error).message.includes('"1"'), "the received value is not repeated");
    return true;
  });
  http.close();
  await backend.server.shutdown();
});

Deno.test("a server that never answers is a BackendTimeout (total and connect timeouts)", async () => {
  const backend = startBackend();
  const total = new HttpClient({ baseUrl: backend.url, timeoutMs: 200 });
  await assertRejects(() => total.get("hang"), is(BackendTimeout));
  const head = new HttpClient({ baseUrl: backend.url, connectTimeoutMs: 200 });
  await assertRejects(() => head.get("hang"), is(BackendTimeout));
  assertEquals(backend.hits.get("/hang"), 2, "timeouts are not retried");
  total.close();
  head.close();
  await backend.server.shutdown();
});

Deno.test("a closed connection is BackendNotAvailable, retried for GET only", async () => {
  const closer = startCloser();
  const http = new HttpClient({ baseUrl: closer.url, retry: FAST_RETRY });
  await assertRejects(() => http.get("x"), is(BackendNotAvailable));
  assertEquals(closer.connections, 3, "GET is tried 3 times");
  await assertRejects(() => http.post("x", { json: {} }), is(BackendNotAvailable));
  assertEquals(closer.connections, 4, "POST is tried once");
  await assertRejects(() => http.post("x", { json: {}, retry: true }), is(BackendNotAvailable));
  assertEquals(closer.connections, 7, "POST with retry: true is retried");
  http.close();
  await closer.close();
});

Deno.test("a refused connection is a NetworkError", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const http = new HttpClient({ retry: FAST_RETRY });
  await assertRejects(() => http.get(`http://127.0.0.1:${port}/`), (e) => {
    is(NetworkError)(e);
    assertMatch((e as Error).message, /refused/);
    return true;
  });
  http.close();
});

Deno.test("a body over the size limit is refused, announced or not", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, maxResponseBytes: 100_000 });
  for (const path of ["big", "announced"]) {
    await assertRejects(() => http.get(path), (e) => {
      is(UnknownBackendResponse)(e);
      assertMatch((e as Error).message, /larger than 100000 bytes/);
      return true;
    });
  }
  // The client keeps serving after refusing.
  assertEquals((await http.getJson("json") as { games: unknown[] }).games.length, 1);
  http.close();
  await backend.server.shutdown();
});

Deno.test("429 with Retry-After is waited out, then succeeds", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, retry: { attempts: 2, baseDelayMs: 1 } });
  const answer = await http.getJson("ratelimited") as { hit: number };
  assertEquals(answer.hit, 2);
  // Retry-After (1 s) is honoured: with a budget of 500 ms the retry is not made, although
  // the backoff alone (at most 1 ms here) would fit.
  const impatient = new HttpClient({
    baseUrl: backend.url,
    retry: { attempts: 3, baseDelayMs: 1, maxElapsedMs: 500 },
  });
  backend.hits.delete("/ratelimited");
  await assertRejects(() => impatient.get("ratelimited"), is(TooManyRequests, 429));
  assertEquals(backend.hits.get("/ratelimited"), 1);
  http.close();
  impatient.close();
  await backend.server.shutdown();
});

Deno.test("503 is retried for GET with backoff, then reported", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, retry: FAST_RETRY });
  await assertRejects(() => http.get("unavailable"), is(BackendNotAvailable, 503));
  assertEquals(backend.hits.get("/unavailable"), 3);
  http.close();
  await backend.server.shutdown();
});

Deno.test("401: one shared refresh for concurrent requests, then the requests succeed", async () => {
  const backend = startBackend();
  let token = "stale";
  let refreshes = 0;
  let lost = 0;
  const http = new HttpClient({
    baseUrl: backend.url,
    authorize: (headers) => headers.set("authorization", `Bearer ${token}`),
    refreshCredentials: async () => {
      refreshes++;
      await new Promise((r) => setTimeout(r, 20));
      token = "fresh-token-1";
    },
    onAuthenticationLost: () => void lost++,
  });
  const answers = await Promise.all(Array.from({ length: 10 }, () => http.getJson("me")));
  // Every one of them, not only the last, got through with the refreshed token.
  assertEquals(answers, Array.from({ length: 10 }, () => ({ id: "u1" })));
  assertEquals(refreshes, 1);
  assertEquals(lost, 0);
  http.close();
  await backend.server.shutdown();
});

Deno.test("401 with a failing refresh: AuthenticationRequired and one lostAuthentication", async () => {
  const backend = startBackend();
  let refreshes = 0;
  let lost = 0;
  const http = new HttpClient({
    baseUrl: backend.url,
    authorize: (headers) => headers.set("authorization", "Bearer revoked"),
    refreshCredentials: () => {
      refreshes++;
      return Promise.reject(new Error("refresh token revoked"));
    },
    onAuthenticationLost: () => void lost++,
  });
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => http.get("me")));
  for (const result of results) {
    assert(result.status === "rejected");
    is(AuthenticationRequired)(result.reason);
  }
  assertEquals(refreshes, 1);
  assertEquals(lost, 1);
  // auth: false skips the whole dance: a plain AuthenticationRequired.
  await assertRejects(() => http.get("me", { auth: false }), is(AuthenticationRequired, 401));
  assertEquals([refreshes, lost], [1, 1]);
  http.close();
  await backend.server.shutdown();
});

Deno.test("cookies set by the server are sent back, across redirects too", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url });
  await http.get("login");
  assertEquals(await http.getJson("echo-cookie"), { cookie: "session=s3cr3t-session; theme=dark" });
  // The redirect's own Set-Cookie is kept and sent to where it leads.
  assertEquals(await http.getJson("redirect"), {
    cookie: "session=s3cr3t-session; theme=dark; hop=1",
  });
  // Cookies from Galaxy's login browser go in as they come.
  http.cookies.set({ name: "galaxy", value: "from-browser", domain: "127.0.0.1", path: "/" });
  const { cookie } = await http.getJson("echo-cookie") as { cookie: string };
  assertMatch(cookie, /galaxy=from-browser/);
  http.close();
  await backend.server.shutdown();
});

Deno.test("at most maxConcurrency requests in flight under 100 parallel calls", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, maxConcurrency: 4 });
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => http.getJson(`slow/${i}`) as Promise<{ n: string }>),
  );
  assertEquals(answers.map((a) => Number(a.n)), Array.from({ length: 100 }, (_, i) => i));
  assert(backend.mostInFlight <= 4, `server saw ${backend.mostInFlight} requests at once`);
  assert(backend.mostInFlight >= 2, "requests did run in parallel");
  http.close();
  await backend.server.shutdown();
});

Deno.test("logs show method, URL without secrets, status and duration; no secret", async () => {
  const backend = startBackend();
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  setLogLevel(LogLevel.Debug);
  try {
    const http = new HttpClient({
      baseUrl: backend.url,
      headers: { authorization: "Bearer sup3r-s3cret-bearer" },
      retry: false,
    });
    await http.get("login");
    await http.post("echo", {
      query: { access_token: "query-t0ken-123", page: 2 },
      json: { user: "me", password: "hunter2-pass", nested: { refresh_token: "rt-999999" } },
    });
    await assertRejects(
      () => http.get("status/500", { query: { code: "auth-c0de-42" } }),
      is(BackendError, 500),
    );
    http.close();
  } finally {
    setLogSink(previous);
    setLogLevel(LogLevel.Info);
    await backend.server.shutdown();
  }
  const log = lines.join("");
  for (
    const secret of [
      "sup3r-s3cret-bearer",
      "query-t0ken-123",
      "hunter2-pass",
      "rt-999999",
      "auth-c0de-42",
      "s3cr3t-session",
    ]
  ) {
    assert(!log.includes(secret), `${secret} leaked into the log:\n${log}`);
  }
  assertMatch(
    log,
    /POST http:\/\/127\.0\.0\.1:\d+\/echo\?access_token=\*\*\*\*&page=2 → 200 \(\d+ ms\)/,
  );
  assertMatch(
    log,
    /WARNING galaxy\.http: GET http:\/\/127\.0\.0\.1:\d+\/status\/500\?code=\*\*\*\* → 500/,
  );
});

Deno.test("TLS with a CA made by the test", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { ca, cert, key } = await makeCertificates(dir);
    await using server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert, key, ...QUIET },
      () => Response.json({ secure: true }),
    );
    const url = `https://127.0.0.1:${server.addr.port}/`;
    const trusting = new HttpClient({ caCerts: [ca] });
    assertEquals(await trusting.getJson(url), { secure: true });
    trusting.close();
    const untrusting = new HttpClient({ retry: false });
    await assertRejects(() => untrusting.get(url), (e) => {
      is(NetworkError)(e);
      assertMatch((e as Error).message, /TLS/);
      return true;
    });
    untrusting.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a Secure cookie from https is neither sent to nor replaced by plain http", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const { ca, cert, key } = await makeCertificates(dir);
    const echo = (request: Request) =>
      new URL(request.url).pathname === "/set"
        ? new Response("set", { headers: { "set-cookie": "sid=from-http-attacker; Path=/" } })
        : Response.json({ cookie: request.headers.get("cookie") });
    // Cookies do not keep ports apart: both servers are host 127.0.0.1 to the jar.
    await using secure = Deno.serve(
      { hostname: "127.0.0.1", port: 0, cert, key, ...QUIET },
      (r) =>
        new URL(r.url).pathname === "/login"
          ? new Response("in", { headers: { "set-cookie": "sid=s3cure-session; Secure; Path=/" } })
          : echo(r),
    );
    await using plain = Deno.serve({ hostname: "127.0.0.1", port: 0, ...QUIET }, echo);
    const https = `https://127.0.0.1:${secure.addr.port}/`;
    const http = new HttpClient({ caCerts: [ca] });
    await http.get(`${https}login`);
    await http.get(`http://127.0.0.1:${plain.addr.port}/set`);
    assertEquals(await http.getJson(`http://127.0.0.1:${plain.addr.port}/echo`), { cookie: null });
    assertEquals(await http.getJson(`${https}echo`), { cookie: "sid=s3cure-session" });
    http.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    })
      .output();
    if (!out.success) {
      throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    }
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=galaxy-ts test CA",
  );
  await run("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
    "-out",
    "server.pem",
  );
  const read = (name: string) => Deno.readTextFile(`${dir}/${name}`);
  return {
    ca: await read("ca.pem"),
    cert: await read("server.pem"),
    key: await read("server.key"),
  };
}

Deno.test("a failure keeps its cause, and its data names kind, method, URL and cause", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const http = new HttpClient({ retry: false });
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  let error: ApplicationError | undefined;
  try {
    await http.get(`http://agent:url-pa55word@127.0.0.1:${port}/games`, {
      query: { access_token: "query-s3cret-77", page: 3 },
    });
  } catch (e) {
    error = e as ApplicationError;
  } finally {
    setLogSink(previous);
    http.close();
  }
  assert(error, "the request did not fail");
  is(NetworkError)(error);
  assert(error.cause instanceof TypeError, `cause: ${error.cause}`);
  const url = `http://127.0.0.1:${port}/games?access_token=****&page=3`;
  assertEquals(error.data.kind, "network");
  assertEquals(error.data.method, "GET");
  assertEquals(error.data.url, url);
  assertMatch(String(error.data.cause), /refused/i);
  const shown = JSON.stringify(error.toWire()) + error.message + lines.join("");
  for (const secret of ["url-pa55word", "query-s3cret-77", "agent:"]) {
    assert(!shown.includes(secret), `${secret} shown: ${shown}`);
  }
  // The user info is a secret for every later line too, whoever writes it.
  const later: string[] = [];
  const before = setLogSink((line) => later.push(line));
  getLogger("author").warning("logging in with url-pa55word");
  setLogSink(before);
  assert(!later.join("").includes("url-pa55word"), later.join(""));
});

Deno.test("a status error names method, URL without secrets and status in its data", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, retry: false });
  await assertRejects(
    () => http.get("status/500", { query: { session: "s3ssion-in-query" } }),
    (e) => {
      const error = e as ApplicationError;
      is(BackendError, 500)(error);
      assertEquals(error.data.method, "GET");
      assertEquals(error.data.url, `${backend.url}status/500?session=****`);
      return true;
    },
  );
  http.close();
  await backend.server.shutdown();
});

Deno.test({
  name: "a denied net permission is one line naming the deno.json entry",
  permissions: { net: ["127.0.0.1"] },
  async fn() {
    const http = new HttpClient({ retry: false });
    await assertRejects(() => http.get("https://api.store.example/v1/games"), (e) => {
      const error = e as ApplicationError;
      is(UnknownError)(error);
      assertEquals(
        error.message,
        "GET https://api.store.example/v1/games: permission denied: net access to " +
          '"api.store.example:443"; grant it in deno.json: ' +
          'permissions.integration.net: ["api.store.example"]',
      );
      assertEquals(error.data.kind, "permission");
      assertEquals(error.data.permission, "net");
      assertEquals(error.data.resource, "api.store.example:443");
      assertEquals(error.data.entry, 'permissions.integration.net: ["api.store.example"]');
      assert(error.cause instanceof Deno.errors.NotCapable);
      return true;
    });
    http.close();
  },
});

Deno.test("throwForStatus: false reads a non-2xx answer, after the retries", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url, retry: FAST_RETRY, throwForStatus: false });
  const missing = await http.get("status/404");
  assertEquals([missing.status, missing.ok, missing.text()], [404, false, "status 404"]);
  // Looked at, then thrown as the request would have.
  assertThrows(() => missing.throwForStatus(), is(UnknownError, 404));
  const down = await http.get("unavailable");
  assertEquals(down.status, 503);
  assertEquals(backend.hits.get("/unavailable"), 3, "503 is still retried");
  // A request's own option wins over the client's.
  await assertRejects(() => http.get("status/404", { throwForStatus: true }), is(UnknownError));
  const strict = new HttpClient({ baseUrl: backend.url, retry: false });
  assertEquals((await strict.get("status/403", { throwForStatus: false })).status, 403);
  http.close();
  strict.close();
  await backend.server.shutdown();
});

Deno.test("query: array values and pairs repeat a key, in order", async () => {
  const backend = startBackend();
  const http = new HttpClient({ baseUrl: backend.url });
  const search = async (query: RequestOptions["query"]) =>
    new URL((await http.getJson("echo?fixed=0", undefined, { query }) as { url: string }).url)
      .search;
  assertEquals(await search({ id: [1, 2, null, 3], q: "a b" }), "?fixed=0&id=1&id=2&id=3&q=a+b");
  assertEquals(
    await search([["id", "x"], ["tag", true], ["id", "y"]]),
    "?fixed=0&id=x&tag=true&id=y",
  );
  assertEquals(await search(new URLSearchParams("k=1&k=2")), "?fixed=0&k=1&k=2");
  http.close();
  await backend.server.shutdown();
});

Deno.test("close() releases the connections, whatever the options", async () => {
  // A keep-alive HTTP/1.1 server on a raw socket, to see the client hang up.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const hungUp = (async () => {
    const conn = await listener.accept();
    const buffer = new Uint8Array(4096);
    await conn.read(buffer);
    const body = "kept";
    await conn.write(new TextEncoder().encode(
      `HTTP/1.1 200 OK\r\nconnection: keep-alive\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    ));
    const eof = await conn.read(buffer).catch(() => null);
    conn.close();
    return eof === null;
  })();
  const http = new HttpClient({ baseUrl: `http://127.0.0.1:${listener.addr.port}/` });
  assertEquals((await http.get("x")).text(), "kept");
  http.close();
  // Bounded so that a client that keeps the connection fails here instead of hanging.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const released = await Promise.race([
    hungUp,
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), 10_000)),
  ]);
  clearTimeout(timer);
  listener.close();
  assert(released, "the connection was still open after close()");
});
