/**
 * The HTTP client of an integration (`@galaxy-ts/runtime/http`), on `fetch`, with no extra
 * dependency: base URL, default headers, total and connect timeouts, a concurrency limit, a
 * cookie jar, retries with backoff and jitter, credential refresh on 401, a response size
 * limit, logging without secrets, and every failure turned into a Galaxy error.
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
 * | body not JSON, or not the JSON the schema describes | `ContentTypeError` | UnknownBackendResponse (6) |
 * | body larger than `maxResponseBytes` | (no limit in the reference) | UnknownBackendResponse (6) |
 * | any other `fetch` failure | `ClientError` | UnknownError (0) |
 *
 * Every error from a status carries it in `data.status`. Messages name the method and the URL
 * without secrets. Where the reference cannot tell a body cut short from other failures
 * (`ClientPayloadError` becomes UnknownError there), this client reports the server going
 * away: BackendNotAvailable.
 *
 * ## Retries
 *
 * Idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) are retried on 429, 502, 503,
 * 504 and on connection failures (refused, reset, closed), with exponential backoff and full
 * jitter, honouring `Retry-After`, at most `retry.attempts` times and within
 * `retry.maxElapsedMs`. Other methods are retried only with `retry: true`. Timeouts are not
 * retried: the time is spent.
 *
 * ## Secrets
 *
 * A request is logged as method, URL, status and duration (debug level when it succeeds,
 * warning when it fails). Query parameters, headers and JSON or form fields whose names
 * look secret (`token`, `code`, `password`, `session`, `key`…) are masked, and their values,
 * the Authorization header and every cookie value are registered with the logger's
 * `addSecrets`, so no later log line can show them either.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { HttpClient } from "./mod.ts";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   request.headers.get("authorization") === "Bearer t0k3n-abc"
 *     ? Response.json({ id: "42", name: "me" })
 *     : new Response(null, { status: 401 }));
 *
 * let token = "expired";
 * const http = new HttpClient({
 *   baseUrl: `http://127.0.0.1:${server.addr.port}/`,
 *   authorize: (headers) => headers.set("authorization", `Bearer ${token}`),
 *   refreshCredentials: async () => {
 *     token = "t0k3n-abc"; // a real integration asks the store's token endpoint
 *   },
 *   onAuthenticationLost: () => {
 *     // in a plugin: this.lostAuthentication()
 *   },
 * });
 * const me = await http.getJson("me", v.object({ id: v.string(), name: v.string() }));
 * assert(me.name === "me");
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
export { type PermissionDenial, permissionDenial } from "./permission.ts";
export { type RetryOptions } from "./retry.ts";
