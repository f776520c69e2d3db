/**
 * The HTTP client of an integration (`@galaxy-ts/runtime/http`), on `fetch`, with no extra
 * dependency: base URL, default headers, total and connect timeouts, a concurrency limit, a
 * cookie jar, retries with backoff and jitter, credential refresh on 401, a response size
 * limit, logging without secrets, and every failure turned into a Galaxy error.
 *
 * Start with {@linkcode HttpClient} and its {@linkcode HttpClientOptions}; one client per
 * integration, closed in the plugin's `shutdown`.
 *
 * ## Failures → Galaxy errors
 *
 * As the reference SDK's `galaxy.http.handle_exception` maps aiohttp's exceptions
 * (`src/galaxy/http.py`):
 *
 * | what happened | reference (aiohttp) | Galaxy error (code) |
 * |---|---|---|
 * | total or connect timeout | `asyncio.TimeoutError` | BackendTimeout (3) |
 * | server closed the connection before or while answering | `ServerDisconnectedError` | BackendNotAvailable (2) |
 * | refused, reset, DNS failure, TLS failure | `ClientConnectionError` | NetworkError (101) |
 * | 401 (after a failed or missing refresh) | status 401 | AuthenticationRequired (1) |
 * | 403 | status 403 | AccessDenied (106) |
 * | 429 | status 429 | TooManyRequests (5) |
 * | 503 | status 503 | BackendNotAvailable (2) |
 * | other 5xx | status ≥ 500 | BackendError (4) |
 * | other 4xx, 400 included | status ≥ 400 | UnknownError (0), message naming the status |
 * | other non-2xx (3xx without Location, too many redirects) | (swallowed by the reference) | UnknownBackendResponse (6) |
 * | a redirect to anything but http or https (`file:`, `data:`) | (followed) | UnknownBackendResponse (6) |
 * | body not UTF-8, not JSON, or not the JSON the schema describes | `ContentTypeError` | UnknownBackendResponse (6) |
 * | body larger than `maxResponseBytes` once decoded, or not decodable | (no limit in the reference) | UnknownBackendResponse (6) |
 * | a permission Deno denied (`net` for the host) | (none: Python has no sandbox) | UnknownError (0), message naming the `deno.json` entry |
 * | any other `fetch` failure | `ClientError` | UnknownError (0) |
 *
 * With `throwForStatus: false` (per client or per request) a status is not an error: the
 * request resolves with the response whatever its status, as with aiohttp's
 * `raise_for_status=False`; {@linkcode HttpResponse.throwForStatus} throws its error later.
 *
 * Every error names the method and the URL without secrets in its message, and carries them
 * in `data.method` and `data.url`; one from a status carries `data.status`; one from a
 * failure keeps the underlying error as `cause` and carries `data.kind` (timeout,
 * disconnected, network, tls, permission, other) and `data.cause` (its name and message, the
 * request's secrets masked). Where the reference cannot tell a body cut short from other
 * failures (`ClientPayloadError` becomes UnknownError there), this client reports the server
 * going away: BackendNotAvailable.
 *
 * A denied permission reads, for example, `GET https://api.store.example/v1: permission denied:
 * net access to "api.store.example:443"; grant it in deno.json:
 * permissions.integration.net: ["api.store.example"]`: the built integration runs with the
 * permissions of `permissions.integration` in the project's `deno.json`, and `data` carries
 * `permission`, `resource` and `entry`. {@linkcode permissionDenial} gives that line for any
 * error, as the runtime words it in its log and in the error Galaxy gets.
 *
 * ## Retries
 *
 * Idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) are retried on 429, 502, 503,
 * 504 and on connection failures (refused, reset, closed), with exponential backoff and full
 * jitter, honouring `Retry-After`, at most `retry.attempts` times and within
 * `retry.maxElapsedMs`. Other methods are retried only with `retry: true`. Timeouts are not
 * retried: the time is spent.
 *
 * ## Redirects and credentials
 *
 * Only http and https redirects are followed, at most `maxRedirects`. Credentials stay with
 * their origin (scheme, host and port of the URL requested): on a hop to another origin,
 * `authorize` is not called and of the author's headers (defaults and per request) only
 * `Accept`, `Accept-Encoding`, `Accept-Language`, `Content-Language`, `Content-Type` and
 * `User-Agent` go along; Authorization, a Cookie header the author set, `x-api-key`, session
 * headers and every other header stay behind. The cookie jar follows the cookie rules as a
 * browser does: a cookie goes to each hop whose host and path it was set for.
 *
 * ## Bodies
 *
 * A body is read whole before the request resolves, decoded from gzip, br or deflate, and
 * cut off as soon as its decoded size passes `maxResponseBytes`: a compression bomb costs at
 * most about the limit. `deno run -A bench/http_bodies.ts` measures the peak memory.
 *
 * ## Secrets
 *
 * A request is logged as method, URL, status and duration (debug level when it succeeds,
 * warning when it fails). Query parameters, headers and JSON or form fields whose names
 * look secret (`token`, `code`, `password`, `session`, `key`…) are masked, and their values,
 * the URL's user info, the Authorization header and every cookie value are registered with
 * the logger, so no later log line can show them either. Cookie values have a budget of
 * their own there: a server that floods the jar cannot push a credential out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { HttpClient } from "@galaxy-ts/runtime/http";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   request.headers.get("authorization") === "Bearer t0k3n-abc"
 *     ? Response.json({ id: "42", name: "me" })
 *     : new Response(null, { status: 401 }));
 *
 * let token = "expired";
 * let refreshed = 0;
 * const http = new HttpClient({
 *   baseUrl: `http://127.0.0.1:${server.addr.port}/`,
 *   authorize: (headers) => headers.set("authorization", `Bearer ${token}`),
 *   refreshCredentials: async () => {
 *     refreshed++;
 *     token = "t0k3n-abc"; // a real integration asks the store's token endpoint
 *   },
 *   onAuthenticationLost: () => {
 *     // in a plugin: this.lostAuthentication()
 *   },
 * });
 * const me = await http.getJson("me", v.object({ id: v.string(), name: v.string() }));
 * assert.equal(me.name, "me");
 * assert.equal(refreshed, 1, "the 401 was answered by one refresh, then the request again");
 * http.close();
 * ```
 *
 * @module
 */
export {
  HttpClient,
  type HttpClientOptions,
  type Query,
  type QueryValue,
  type RequestOptions,
} from "./client.ts";
export { CookieJar, type StoredCookie } from "./cookies.ts";
export {
  HttpResponse,
  type Schema,
  type SchemaIssue,
  type SchemaOutput,
  type SchemaResult,
} from "./response.ts";
export { type PermissionDenial, permissionDenial } from "../protocol/mod.ts";
export { type RetryOptions } from "./retry.ts";
