/**
 * The HTTP client of an integration: one per integration, on `fetch`.
 *
 * @module
 */
import { getLogger, type Logger } from "../log/mod.ts";
import {
  ApplicationError,
  AuthenticationRequired,
  UnknownBackendResponse,
} from "../protocol/mod.ts";
import { CookieJar } from "./cookies.ts";
import { errorForFailure, errorForStatus, failureKind, type RequestInfo } from "./errors.ts";
import { Limiter } from "./limiter.ts";
import {
  redactFields,
  redactHeaders,
  redactUrl,
  registerHeaderSecret,
  scrubberFor,
  SECRET_NAME,
} from "./redact.ts";
import { HttpResponse, readLimited, type Schema, type SchemaOutput } from "./response.ts";
import {
  backoffDelay,
  IDEMPOTENT_METHODS,
  parseRetryAfter,
  RETRY_STATUSES,
  type RetryOptions,
  type RetryPolicy,
  retryPolicy,
} from "./retry.ts";

/**
 * Options of {@linkcode HttpClient}; every one has a default. Limits that are not numbers
 * in their range (`NaN`, negative, fractional where a count is meant, `Infinity`) are
 * refused by the constructor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpClient, type HttpClientOptions } from "@galaxy-ts/runtime/http";
 * const options: HttpClientOptions = { baseUrl: "https://api.store.example/v1/", retry: false };
 * const http = new HttpClient(options);
 * assert.throws(() => new HttpClient({ maxResponseBytes: NaN }), RangeError);
 * http.close();
 * ```
 */
export interface HttpClientOptions {
  /**
   * Relative URLs given to the request methods are resolved against it. Only http and https
   * URLs are requested.
   *
   * @default {undefined} (every URL must then be absolute)
   */
  baseUrl?: string | URL;
  /**
   * Headers sent with every request (a request's own headers win). Like every header the
   * author sets, they go to the request's own origin only: on a redirect to another origin
   * only `Accept`, `Accept-Encoding`, `Accept-Language`, `Content-Language`, `Content-Type`
   * and `User-Agent` go along.
   *
   * @default {{}}
   */
  headers?: HeadersInit;
  /**
   * The longest one attempt may take, from sending to the last byte of the body, redirects
   * included, in milliseconds (the reference's total timeout). Past it: BackendTimeout.
   *
   * @default {60000}
   */
  timeoutMs?: number;
  /**
   * The longest to wait for the connection and the response's head (status line and headers),
   * per hop, in milliseconds. `fetch` does not expose the connection step on its own, so this
   * also covers the server's time to start answering. Past it: BackendTimeout.
   *
   * @default {20000}
   */
  connectTimeoutMs?: number;
  /**
   * At most this many requests in flight at once; the others wait (as the reference).
   *
   * @default {20}
   */
  maxConcurrency?: number;
  /**
   * The largest body read, in bytes after decoding gzip, br or deflate; a larger one (a
   * compression bomb included) is cut off there and is UnknownBackendResponse. A body costs
   * at most about twice this much memory while it is read.
   *
   * @default {67108864} (64 MiB)
   */
  maxResponseBytes?: number;
  /**
   * Redirects followed per request; only to http and https URLs. Cookies of the jar go to
   * every hop they match; the author's headers and `authorize` only to the request's origin.
   *
   * @default {10}
   */
  maxRedirects?: number;
  /**
   * How to retry (see {@linkcode RetryOptions}), or `false` for never.
   *
   * @default {{ attempts: 4, baseDelayMs: 250, maxDelayMs: 10000, maxElapsedMs: 60000 }}
   */
  retry?: RetryOptions | false;
  /**
   * Whether a response that is not 2xx rejects with its Galaxy error. With `false` the
   * request resolves with any status (as aiohttp's `raise_for_status=False`), after the
   * retries and the credential refresh; check {@linkcode HttpResponse.ok}. A request's own
   * `throwForStatus` wins.
   *
   * @default {true}
   */
  throwForStatus?: boolean;
  /**
   * Extra root certificates (PEM) to trust, e.g. a test's own CA.
   *
   * @default {[]}
   */
  caCerts?: string[];
  /**
   * The cookie jar.
   *
   * @default {new CookieJar()}
   */
  cookies?: CookieJar;
  /**
   * Adds credentials to a request (e.g. an Authorization header); called before every attempt,
   * so a refreshed token is used at once. Not called for requests made with `auth: false`,
   * nor for a hop of a redirect to another origin.
   *
   * @default {undefined}
   */
  authorize?: (headers: Headers, url: URL) => void | Promise<void>;
  /**
   * Renews expired credentials after a 401. Concurrent requests that get a 401 share one call;
   * each is then made again once. When it throws (or there is none), the request fails with
   * AuthenticationRequired and `onAuthenticationLost` is called.
   *
   * @default {undefined}
   */
  refreshCredentials?: () => Promise<void>;
  /**
   * Called once when credentials are gone for good: wire it to the plugin's
   * `lostAuthentication()`, so that Galaxy asks the user to log in again.
   *
   * @default {undefined}
   */
  onAuthenticationLost?: () => void | Promise<void>;
  /**
   * The logger's name.
   *
   * @default {"galaxy.http"}
   */
  loggerName?: string;
}

/**
 * One value of a query parameter; `undefined` and `null` leave it out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type QueryValue } from "@galaxy-ts/runtime/http";
 * // A cursor that may be missing: `undefined` leaves the parameter out.
 * const cursor: QueryValue = undefined;
 * const query: Record<string, QueryValue> = { page: 2, cursor };
 * assert.deepEqual(Object.keys(query), ["page", "cursor"]);
 * ```
 */
export type QueryValue = string | number | boolean | null | undefined;

/**
 * A query string: a record whose array values repeat the key (`{ id: [1, 2] }` is
 * `id=1&id=2`), a `URLSearchParams`, or a list of pairs, kept in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpClient, type Query } from "@galaxy-ts/runtime/http";
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   new Response(new URL(request.url).search));
 * const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/` });
 * const query: Query = { id: ["1", "2"], full: true, cursor: undefined };
 * assert.equal((await http.get("games", { query })).text(), "?id=1&id=2&full=true");
 * http.close();
 * ```
 */
export type Query =
  | Record<string, QueryValue | readonly QueryValue[]>
  | URLSearchParams
  | Iterable<readonly [string, QueryValue]>;

/**
 * Options of one request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RequestOptions } from "@galaxy-ts/runtime/http";
 * const options: RequestOptions = { query: { page: 2 }, json: { name: "me" }, retry: true };
 * assert.equal(options.retry, true);
 * ```
 */
export interface RequestOptions {
  /**
   * Query parameters added to the URL's own.
   *
   * @default {undefined}
   */
  query?: Query;
  /**
   * Headers of this request, over the client's defaults; sent to the request's origin only.
   *
   * @default {undefined}
   */
  headers?: HeadersInit;
  /**
   * A body sent as JSON (`content-type: application/json`).
   *
   * @default {undefined}
   */
  json?: unknown;
  /**
   * A body sent as a form (`application/x-www-form-urlencoded`).
   *
   * @default {undefined}
   */
  form?: Record<string, string> | URLSearchParams;
  /**
   * A raw body; kept in memory so that it can be sent again on a retry.
   *
   * @default {undefined}
   */
  body?: string | Uint8Array<ArrayBuffer>;
  /**
   * Whether to retry on 429/502/503/504 and on connection failures.
   *
   * @default true for the idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE), false
   * for the others
   */
  retry?: boolean;
  /**
   * Whether to use `authorize` and the 401 handling.
   *
   * @default {true}
   */
  auth?: boolean;
  /**
   * This request's own {@linkcode HttpClientOptions.throwForStatus}.
   *
   * @default the client's (true unless set)
   */
  throwForStatus?: boolean;
  /**
   * Aborts the request (e.g. the handler's signal when Galaxy shuts down); rethrows its reason.
   *
   * @default {undefined}
   */
  signal?: AbortSignal;
  /**
   * This request's own {@linkcode HttpClientOptions.timeoutMs}.
   *
   * @default the client's
   */
  timeoutMs?: number;
}

interface RawResponse {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array;
}

const NO_RETRY: RetryPolicy = retryPolicy({ attempts: 1 });

/**
 * What the author's headers may send to another origin after a redirect: content
 * negotiation, nothing that could identify or authorize. Every other header (Authorization,
 * Cookie, x-api-key, a session header) stays with the origin it was meant for, and
 * `authorize` is not asked, whatever the author called it.
 */
const CROSS_ORIGIN_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "content-language",
  "content-type",
  "user-agent",
]);

/**
 * One client per integration: base URL, default headers, timeouts, a concurrency limit, a
 * cookie jar, retries with backoff, credential refresh on 401, a response size limit, and
 * every failure turned into the Galaxy error the reference SDK would raise (see the table in
 * the module docs of `./http`). Requests are logged as method, URL without secrets, status and
 * duration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "valibot";
 * import { HttpClient } from "@galaxy-ts/runtime/http";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) =>
 *   new URL(request.url).pathname === "/api/games"
 *     ? Response.json({ games: [{ id: "1", title: "One" }] })
 *     : new Response("no such page", { status: 404 }));
 * const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/api/` });
 * const Games = v.object({ games: v.array(v.object({ id: v.string(), title: v.string() })) });
 * const { games } = await http.getJson("games", Games);
 * assert.equal(games[0].title, "One");
 * // A status can be read instead of caught:
 * const missing = await http.get("nothing", { throwForStatus: false });
 * assert.equal(missing.status, 404);
 * http.close();
 * ```
 */
export class HttpClient {
  /** The cookies kept between requests. */
  readonly cookies: CookieJar;
  readonly #options: HttpClientOptions;
  readonly #baseUrl: URL | undefined;
  readonly #limiter: Limiter;
  readonly #retry: RetryPolicy;
  readonly #log: Logger;
  #pool: Deno.HttpClient | undefined;
  #authGeneration = 0;
  #lostGeneration = -1;
  #refreshing: Promise<void> | null = null;

  /**
   * Creates a client.
   *
   * @param options See {@linkcode HttpClientOptions} for each option and its default.
   * @throws {RangeError} A limit or timeout is not a number in its range.
   * @throws {TypeError} `baseUrl` is not an http or https URL.
   */
  constructor(options: HttpClientOptions = {}) {
    checkNumber("timeoutMs", options.timeoutMs, 1, false);
    checkNumber("connectTimeoutMs", options.connectTimeoutMs, 1, false);
    checkNumber("maxConcurrency", options.maxConcurrency, 1, true);
    checkNumber("maxResponseBytes", options.maxResponseBytes, 0, true);
    checkNumber("maxRedirects", options.maxRedirects, 0, true);
    this.#options = options;
    this.#baseUrl = options.baseUrl === undefined ? undefined : httpUrl(options.baseUrl);
    this.#limiter = new Limiter(options.maxConcurrency ?? 20);
    this.#retry = options.retry === false ? NO_RETRY : retryPolicy(options.retry);
    this.cookies = options.cookies ?? new CookieJar();
    this.#log = getLogger(options.loggerName ?? "galaxy.http");
  }

  /**
   * Requests in flight now.
   *
   * @returns At most `maxConcurrency`.
   */
  get inFlight(): number {
    return this.#limiter.active;
  }

  /**
   * Releases the client's connections (kept open between requests for speed); call it from
   * the plugin's `shutdown`. A request made later opens new ones.
   */
  close(): void {
    this.#pool?.close();
    this.#pool = undefined;
  }

  /**
   * A GET request; see {@linkcode HttpClient.request}.
   *
   * @param url Absolute, or relative to `baseUrl`.
   * @param options The request's options.
   * @returns The response, body read.
   * @throws {ApplicationError} The Galaxy error of the failure or status.
   */
  get(url: string | URL, options?: RequestOptions): Promise<HttpResponse> {
    return this.request("GET", url, options);
  }

  /**
   * A POST request (not retried unless `retry: true`); see {@linkcode HttpClient.request}.
   *
   * @param url Absolute, or relative to `baseUrl`.
   * @param options The request's options (`json`, `form` or `body` for its body).
   * @returns The response, body read.
   * @throws {ApplicationError} The Galaxy error of the failure or status.
   */
  post(url: string | URL, options?: RequestOptions): Promise<HttpResponse> {
    return this.request("POST", url, options);
  }

  /**
   * A GET request whose body is JSON.
   *
   * @param url Absolute, or relative to `baseUrl`.
   * @param schema None: the parsed value is returned unchecked.
   * @param options The request's options.
   * @returns The parsed body.
   * @throws {UnknownBackendResponse} The body is not UTF-8 or not JSON.
   * @throws {ApplicationError} The Galaxy error of the failure or status.
   */
  getJson(url: string | URL, schema?: undefined, options?: RequestOptions): Promise<unknown>;
  /**
   * A GET request whose body is JSON, checked against `schema`.
   *
   * @param url Absolute, or relative to `baseUrl`.
   * @param schema Any synchronous Standard Schema (valibot, zod…).
   * @param options The request's options.
   * @returns The checked body.
   * @throws {UnknownBackendResponse} The body is not UTF-8, not JSON or not what `schema`
   * describes.
   * @throws {ApplicationError} The Galaxy error of the failure or status.
   */
  getJson<S extends Schema>(
    url: string | URL,
    schema: S,
    options?: RequestOptions,
  ): Promise<SchemaOutput<S>>;
  async getJson(
    url: string | URL,
    schema?: Schema,
    options?: RequestOptions,
  ): Promise<unknown> {
    const response = await this.request("GET", url, withAccept(options));
    return schema ? response.json(schema) : response.json();
  }

  /**
   * A POST request sending `body` as JSON and reading JSON back, checked against `schema`.
   *
   * @param url Absolute, or relative to `baseUrl`.
   * @param body The value sent as JSON.
   * @param schema Any synchronous Standard Schema (valibot, zod…).
   * @param options The request's options.
   * @returns The checked body of the answer.
   * @throws {UnknownBackendResponse} The answer is not UTF-8, not JSON or not what
   * `schema` describes.
   * @throws {ApplicationError} The Galaxy error of the failure or status.
   */
  postJson<S extends Schema>(
    url: string | URL,
    body: unknown,
    schema: S,
    options?: RequestOptions,
  ): Promise<SchemaOutput<S>> {
    return this.request("POST", url, { ...withAccept(options), json: body }).then((r) =>
      r.json(schema)
    );
  }

  /**
   * Sends a request and reads its whole body, after the retries and the credential refresh
   * the options allow. Resolves with a 2xx response, or with any status under
   * `throwForStatus: false`.
   *
   * @param method The HTTP method (any case).
   * @param url Absolute, or relative to `baseUrl`; http or https.
   * @param options The request's options.
   * @returns The response, body read.
   * @throws {ApplicationError} The Galaxy error of the failure or status (the table in the
   * module docs of `./http`), with the underlying error as `cause` and `method`, `url`
   * (without secrets), `status` or `kind` in its `data`. A permission Deno denied is an
   * UnknownError whose message names the `deno.json` entry that grants it.
   * @throws {TypeError} `url` is not an http or https URL.
   * @throws {RangeError} `timeoutMs` is not a positive number.
   */
  async request(
    method: string,
    url: string | URL,
    options: RequestOptions = {},
  ): Promise<HttpResponse> {
    method = method.toUpperCase();
    checkNumber("timeoutMs", options.timeoutMs, 1, false);
    const target = this.#resolve(url, options.query);
    const headers = new Headers(this.#options.headers);
    for (const [name, value] of new Headers(options.headers)) headers.set(name, value);
    const info: RequestInfo = {
      method,
      url: redactUrl(target),
      scrub: scrubberFor(target, headers),
    };
    const what = `${method} ${info.url}`;
    const auth = options.auth ?? true;
    const throwForStatus = options.throwForStatus ?? this.#options.throwForStatus ?? true;
    const policy = (options.retry ?? IDEMPOTENT_METHODS.has(method)) ? this.#retry : NO_RETRY;
    const started = Date.now();
    let renewed = false;
    this.#logRequest(what, headers, options);
    for (let attempt = 1;; attempt++) {
      const generation = this.#authGeneration;
      const attemptStart = Date.now();
      let response: RawResponse | undefined;
      let error: ApplicationError;
      let retryable = false;
      try {
        response = await this.#limiter.run(
          () => this.#send(method, target, headers, options, auth, info),
          options.signal,
        );
      } catch (cause) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (cause instanceof ApplicationError) {
          error = cause;
        } else {
          const kind = failureKind(cause);
          error = errorForFailure(cause, info);
          retryable = kind === "network" || kind === "disconnected";
          this.#log.debug(() => `${what}: ${error.data.cause}`);
        }
      }
      const elapsed = Date.now() - attemptStart;
      if (response) {
        const { status, statusText, headers, body } = response;
        const answer = () => new HttpResponse(status, statusText, headers, body, what);
        if (status >= 200 && status < 300) {
          if (auth) this.#lostGeneration = -1;
          this.#log.debug(() => `${what} → ${status} (${elapsed} ms)`);
          return answer();
        }
        if (status === 401 && auth) {
          this.#log.debug(`${what} → 401 (${elapsed} ms)`);
          if (!renewed) {
            renewed = true;
            await this.#renewCredentials(generation, what);
            attempt--;
            continue;
          }
          await this.#lose(generation);
        }
        error = errorForStatus(status, statusText, info);
        retryable = RETRY_STATUSES.has(status);
        if (retryable && attempt < policy.attempts) {
          const wait = backoffDelay(policy, attempt, parseRetryAfter(headers.get("retry-after")));
          if (Date.now() - started + wait <= policy.maxElapsedMs) {
            this.#log.info(`${what} → ${status} (${elapsed} ms); retry ${attempt} in ${wait} ms`);
            await sleep(wait, options.signal);
            continue;
          }
        }
        if (!throwForStatus) {
          this.#log.debug(() => `${what} → ${status} (${elapsed} ms)`);
          return answer();
        }
        this.#log.warning(`${what} → ${status} (${elapsed} ms)`);
        throw error;
      }
      if (retryable && attempt < policy.attempts) {
        const wait = backoffDelay(policy, attempt);
        if (Date.now() - started + wait <= policy.maxElapsedMs) {
          this.#log.info(`${error!.message} (${elapsed} ms); retry ${attempt} in ${wait} ms`);
          await sleep(wait, options.signal);
          continue;
        }
      }
      this.#log.warning(`${error!.message} (${elapsed} ms)`);
      throw error!;
    }
  }

  #resolve(url: string | URL, query?: Query): URL {
    const target = httpUrl(url, this.#baseUrl);
    if (query === undefined) return target;
    const pairs: Iterable<readonly [string, QueryValue | readonly QueryValue[]]> =
      query instanceof URLSearchParams || Symbol.iterator in query
        ? query as Iterable<readonly [string, QueryValue]>
        : Object.entries(query);
    for (const [name, value] of pairs) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== undefined && item !== null) target.searchParams.append(name, String(item));
      }
    }
    return target;
  }

  /** One attempt: the request, its redirects, and its body, within the attempt's timeouts. */
  async #send(
    method: string,
    target: URL,
    headers: Headers,
    options: RequestOptions,
    auth: boolean,
    info: RequestInfo,
  ): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#options.timeoutMs ?? 60_000);
    const signals = [timeout, ...(options.signal ? [options.signal] : [])];
    const origin = target.origin;
    const what = `${info.method} ${info.url}`;
    let url = target;
    let body = encodeBody(options);
    headers = new Headers(headers);
    if (body.contentType && !headers.has("content-type")) {
      headers.set("content-type", body.contentType);
    }
    const maxRedirects = this.#options.maxRedirects ?? 10;
    for (let hop = 0;; hop++) {
      // The author's headers and credentials are for their origin; the jar's cookies go
      // wherever their Domain and Path say, as in a browser.
      const sameOrigin = url.origin === origin;
      const hopHeaders = sameOrigin ? new Headers(headers) : crossOriginHeaders(headers);
      if (auth && sameOrigin) await this.#options.authorize?.(hopHeaders, url);
      for (const [name, value] of hopHeaders) {
        if (SECRET_NAME.test(name)) registerHeaderSecret(name, value);
      }
      const cookie = this.cookies.header(url);
      if (cookie) {
        const own = hopHeaders.get("cookie");
        hopHeaders.set("cookie", own ? `${own}; ${cookie}` : cookie);
      }
      const response = await this.#fetchHead(url, {
        method,
        headers: hopHeaders,
        body: body.data,
        redirect: "manual",
      }, signals);
      this.cookies.setFromResponse(url, response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel().catch(() => {});
        const data = { status: response.status, method: info.method, url: info.url };
        if (hop >= maxRedirects) {
          throw new UnknownBackendResponse(`${what}: more than ${maxRedirects} redirects`, data);
        }
        const next = URL.parse(location, url);
        if (next?.protocol !== "http:" && next?.protocol !== "https:") {
          // A redirect to file: or data: would read local files or made-up bodies.
          throw new UnknownBackendResponse(
            `${what}: redirect to ${
              next ? `a ${next.protocol} URL` : "an invalid URL"
            } refused (only http and https redirects are followed)`,
            data,
          );
        }
        url = next;
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === "POST")
        ) {
          method = method === "HEAD" ? "HEAD" : "GET";
          body = {};
          headers.delete("content-type");
        }
        continue;
      }
      const bytes = await readLimited(
        response,
        this.#options.maxResponseBytes ?? 64 * 1024 * 1024,
        what,
      );
      return {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: bytes,
      };
    }
  }

  /** A fetch that must get the response's head within the connect timeout. */
  async #fetchHead(url: URL, init: RequestInit, signals: AbortSignal[]): Promise<Response> {
    const head = new AbortController();
    const timer = setTimeout(
      () => head.abort(new DOMException("no response head in time", "TimeoutError")),
      this.#options.connectTimeoutMs ?? 20_000,
    );
    // The client's own pool, so that close() can release its connections.
    this.#pool ??= Deno.createHttpClient({ caCerts: this.#options.caCerts ?? [] });
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.any([...signals, head.signal]),
        client: this.#pool,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** After a 401: refresh once for everyone who failed with the same credentials. */
  async #renewCredentials(generation: number, what: string): Promise<void> {
    const refresh = this.#options.refreshCredentials;
    if (!refresh || generation === this.#lostGeneration) {
      await this.#lose(generation);
      throw new AuthenticationRequired(`${what} answered 401 Unauthorized`, { status: 401 });
    }
    if (generation !== this.#authGeneration) return; // Refreshed since this request was sent.
    this.#refreshing ??= (async () => {
      try {
        await refresh();
        this.#authGeneration++;
        this.#log.debug("credentials refreshed");
      } catch (error) {
        this.#log.warning(`refreshing credentials failed: ${errorText(error)}`);
        await this.#lose(generation);
        throw new AuthenticationRequired("credentials expired and could not be refreshed", {
          status: 401,
        });
      } finally {
        this.#refreshing = null;
      }
    })();
    await this.#refreshing;
  }

  /** Reports lost credentials once per generation of credentials. */
  async #lose(generation: number): Promise<void> {
    if (this.#lostGeneration === generation) return;
    this.#lostGeneration = generation;
    try {
      await this.#options.onAuthenticationLost?.();
    } catch (error) {
      this.#log.error("onAuthenticationLost failed", error);
    }
  }

  #logRequest(what: string, headers: Headers, options: RequestOptions): void {
    // Secrets in headers and bodies are registered even when nothing is logged, so that
    // they are scrubbed from any later line that repeats them.
    const shownHeaders = redactHeaders(headers);
    const fields = options.json !== undefined
      ? redactFields(options.json)
      : options.form
      ? redactFields(Object.fromEntries(new URLSearchParams(options.form)))
      : undefined;
    this.#log.debug(() => {
      const body = fields !== undefined
        ? JSON.stringify(fields)
        : options.body !== undefined
        ? `<${
          typeof options.body === "string" ? options.body.length : options.body.byteLength
        } bytes>`
        : "";
      return `${what}${shownHeaders ? ` headers: ${shownHeaders}` : ""}${
        body ? ` body: ${body}` : ""
      }`;
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The author's headers that may follow a redirect to another origin. */
function crossOriginHeaders(headers: Headers): Headers {
  const kept = new Headers();
  for (const [name, value] of headers) {
    if (CROSS_ORIGIN_HEADERS.has(name)) kept.set(name, value);
  }
  return kept;
}

/** Refuses a limit that is not a number in its range, rather than reading it as "none". */
function checkNumber(name: string, value: number | undefined, min: number, whole: boolean): void {
  if (value === undefined) return;
  if (
    typeof value !== "number" || !Number.isFinite(value) || value < min ||
    (whole && !Number.isInteger(value))
  ) {
    throw new RangeError(
      `HttpClient: ${name} must be a finite ${whole ? "whole " : ""}number ≥ ${min}, not ${
        String(value)
      }`,
    );
  }
}

/** `url` (resolved against `base`) when it is http or https; `fetch` reads file: and data: too. */
function httpUrl(url: string | URL, base?: URL): URL {
  const parsed = URL.parse(url, base);
  if (!parsed) {
    throw new TypeError(
      `not a URL: ${String(url)}${base ? "" : " (no baseUrl to resolve it against)"}`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`not an http or https URL: ${parsed.protocol} (only those are requested)`);
  }
  return parsed;
}

function withAccept(options: RequestOptions = {}): RequestOptions {
  const headers = new Headers(options.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  return { ...options, headers };
}

function encodeBody(options: RequestOptions): { data?: BodyInit; contentType?: string } {
  if (options.json !== undefined) {
    return { data: JSON.stringify(options.json), contentType: "application/json" };
  }
  if (options.form !== undefined) {
    return {
      data: new URLSearchParams(options.form).toString(),
      contentType: "application/x-www-form-urlencoded",
    };
  }
  return options.body === undefined ? {} : { data: options.body };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
