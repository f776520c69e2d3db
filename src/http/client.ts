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
import { errorForFailure, errorForStatus, failureKind } from "./errors.ts";
import { Limiter } from "./limiter.ts";
import { redactFields, redactHeaders, redactUrl, registerHeaderSecret } from "./redact.ts";
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
 * Options of {@linkcode HttpClient}; every one has a default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpClient, type HttpClientOptions } from "./client.ts";
 * const options: HttpClientOptions = { baseUrl: "https://api.example/", retry: false };
 * const http = new HttpClient(options);
 * assert(options.retry === false);
 * http.close();
 * ```
 */
export interface HttpClientOptions {
  /** Relative URLs given to the request methods are resolved against it. */
  baseUrl?: string | URL;
  /** Headers sent with every request (a request's own headers win). */
  headers?: HeadersInit;
  /**
   * The longest one attempt may take, from sending to the last byte of the body, redirects
   * included (default 60 000 ms, the reference's total timeout). Past it: BackendTimeout.
   */
  timeoutMs?: number;
  /**
   * The longest to wait for the connection and the response's head (status line and headers),
   * per hop (default 20 000 ms). `fetch` does not expose the connection step on its own, so
   * this also covers the server's time to start answering. Past it: BackendTimeout.
   */
  connectTimeoutMs?: number;
  /** At most this many requests in flight at once; the others wait (default 20, as the reference). */
  maxConcurrency?: number;
  /** The largest body read (default 64 MiB); a larger one is UnknownBackendResponse. */
  maxResponseBytes?: number;
  /** Redirects followed per request (default 10); cookies are kept at every hop. */
  maxRedirects?: number;
  /** How to retry (see {@linkcode RetryOptions}), or `false` for never. */
  retry?: RetryOptions | false;
  /** Extra root certificates (PEM) to trust, e.g. a test's own CA. */
  caCerts?: string[];
  /** The cookie jar; a new empty one by default. */
  cookies?: CookieJar;
  /**
   * Adds credentials to a request (e.g. an Authorization header); called before every attempt,
   * so a refreshed token is used at once. Not called for requests made with `auth: false`,
   * nor for a redirect to another origin.
   */
  authorize?: (headers: Headers, url: URL) => void | Promise<void>;
  /**
   * Renews expired credentials after a 401. Concurrent requests that get a 401 share one call;
   * each is then made again once. When it throws (or there is none), the request fails with
   * AuthenticationRequired and `onAuthenticationLost` is called.
   */
  refreshCredentials?: () => Promise<void>;
  /**
   * Called once when credentials are gone for good: wire it to the plugin's
   * `lostAuthentication()`, so that Galaxy asks the user to log in again.
   */
  onAuthenticationLost?: () => void | Promise<void>;
  /** The logger's name (default "galaxy.http"). */
  loggerName?: string;
}

/**
 * Values of a query string; `undefined` and `null` leave the parameter out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type QueryValue } from "./client.ts";
 * const query: Record<string, QueryValue> = { page: 2, full: true, cursor: undefined };
 * assert(query.page === 2);
 * ```
 */
export type QueryValue = string | number | boolean | null | undefined;

/**
 * Options of one request.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RequestOptions } from "./client.ts";
 * const options: RequestOptions = { query: { page: 2 }, json: { name: "me" }, retry: true };
 * assert(options.query?.page === 2);
 * ```
 */
export interface RequestOptions {
  /** Query parameters added to the URL. */
  query?: Record<string, QueryValue>;
  /** Headers of this request, over the client's defaults. */
  headers?: HeadersInit;
  /** A body sent as JSON (`content-type: application/json`). */
  json?: unknown;
  /** A body sent as a form (`application/x-www-form-urlencoded`). */
  form?: Record<string, string> | URLSearchParams;
  /** A raw body; kept in memory so that it can be sent again on a retry. */
  body?: string | Uint8Array<ArrayBuffer>;
  /**
   * Whether to retry on 429/502/503/504 and on connection failures. By default only the
   * idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) are retried.
   */
  retry?: boolean;
  /** Whether to use `authorize` and the 401 handling (default true). */
  auth?: boolean;
  /** Aborts the request (e.g. the handler's signal when Galaxy shuts down); rethrows its reason. */
  signal?: AbortSignal;
  /** This request's own {@linkcode HttpClientOptions.timeoutMs}. */
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
 * One client per integration: base URL, default headers, timeouts, a concurrency limit, a
 * cookie jar, retries with backoff, credential refresh on 401, a response size limit, and
 * every failure turned into the Galaxy error the reference SDK would raise (see the table in
 * the module docs of `./http`). Requests are logged as method, URL without secrets, status and
 * duration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as v from "npm:valibot@^1.2.0";
 * import { HttpClient } from "./client.ts";
 *
 * await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
 *   Response.json({ games: [{ id: "1", title: "One" }] }));
 * const http = new HttpClient({ baseUrl: `http://127.0.0.1:${server.addr.port}/api/` });
 * const Games = v.object({ games: v.array(v.object({ id: v.string(), title: v.string() })) });
 * const { games } = await http.getJson("games", Games);
 * assert(games[0].title === "One");
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
  readonly #client: Deno.HttpClient | undefined;
  readonly #log: Logger;
  #authGeneration = 0;
  #lostGeneration = -1;
  #refreshing: Promise<void> | null = null;

  /** Creates a client; see {@linkcode HttpClientOptions} for the defaults. */
  constructor(options: HttpClientOptions = {}) {
    this.#options = options;
    this.#baseUrl = options.baseUrl === undefined ? undefined : new URL(options.baseUrl);
    this.#limiter = new Limiter(options.maxConcurrency ?? 20);
    this.#retry = options.retry === false ? NO_RETRY : retryPolicy(options.retry);
    this.#client = options.caCerts?.length
      ? Deno.createHttpClient({ caCerts: options.caCerts })
      : undefined;
    this.cookies = options.cookies ?? new CookieJar();
    this.#log = getLogger(options.loggerName ?? "galaxy.http");
  }

  /** Requests in flight now (at most `maxConcurrency`). */
  get inFlight(): number {
    return this.#limiter.active;
  }

  /** Releases the connections; call it from the plugin's `shutdown`. */
  close(): void {
    this.#client?.close();
  }

  /** A GET request; see {@linkcode HttpClient.request}. */
  get(url: string | URL, options?: RequestOptions): Promise<HttpResponse> {
    return this.request("GET", url, options);
  }

  /** A POST request (not retried unless `retry: true`); see {@linkcode HttpClient.request}. */
  post(url: string | URL, options?: RequestOptions): Promise<HttpResponse> {
    return this.request("POST", url, options);
  }

  /** A GET request whose body is JSON, checked against `schema` when given. */
  getJson(url: string | URL, schema?: undefined, options?: RequestOptions): Promise<unknown>;
  /** A GET request whose body is JSON, checked against `schema`. */
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

  /** A POST request sending `body` as JSON and reading JSON back, checked against `schema`. */
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
   * Sends a request and reads its whole body. Resolves with a 2xx response; anything else
   * rejects with a Galaxy error (status and failure table in the module docs), after the
   * retries and the credential refresh the options allow.
   */
  async request(
    method: string,
    url: string | URL,
    options: RequestOptions = {},
  ): Promise<HttpResponse> {
    method = method.toUpperCase();
    const target = this.#resolve(url, options.query);
    const what = `${method} ${redactUrl(target)}`;
    const auth = options.auth ?? true;
    const policy = (options.retry ?? IDEMPOTENT_METHODS.has(method)) ? this.#retry : NO_RETRY;
    const started = Date.now();
    let renewed = false;
    this.#logRequest(what, options);
    for (let attempt = 1;; attempt++) {
      const generation = this.#authGeneration;
      const attemptStart = Date.now();
      let response: RawResponse | undefined;
      let error: ApplicationError;
      let retryable = false;
      try {
        response = await this.#limiter.run(
          () => this.#send(method, target, options, auth, what),
          options.signal,
        );
      } catch (cause) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (cause instanceof ApplicationError) {
          error = cause;
        } else {
          const kind = failureKind(cause);
          error = errorForFailure(cause, what);
          retryable = kind === "network" || kind === "disconnected";
        }
      }
      const elapsed = Date.now() - attemptStart;
      if (response) {
        const { status, statusText, headers, body } = response;
        if (status >= 200 && status < 300) {
          if (auth) this.#lostGeneration = -1;
          this.#log.debug(() => `${what} → ${status} (${elapsed} ms)`);
          return new HttpResponse(status, statusText, headers, body, what);
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
        error = errorForStatus(status, statusText, what);
        retryable = RETRY_STATUSES.has(status);
        if (retryable && attempt < policy.attempts) {
          const wait = backoffDelay(policy, attempt, parseRetryAfter(headers.get("retry-after")));
          if (Date.now() - started + wait <= policy.maxElapsedMs) {
            this.#log.info(`${what} → ${status} (${elapsed} ms); retry ${attempt} in ${wait} ms`);
            await sleep(wait, options.signal);
            continue;
          }
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

  #resolve(url: string | URL, query?: Record<string, QueryValue>): URL {
    let target: URL;
    try {
      target = new URL(url, this.#baseUrl);
    } catch {
      throw new TypeError(
        `not a URL: ${String(url)}${this.#baseUrl ? "" : " (no baseUrl to resolve it against)"}`,
      );
    }
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null) target.searchParams.append(name, String(value));
    }
    return target;
  }

  /** One attempt: the request, its redirects, and its body, within the attempt's timeouts. */
  async #send(
    method: string,
    target: URL,
    options: RequestOptions,
    auth: boolean,
    what: string,
  ): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.#options.timeoutMs ?? 60_000);
    const signals = [timeout, ...(options.signal ? [options.signal] : [])];
    const origin = target.origin;
    let url = target;
    let body = encodeBody(options);
    const headers = new Headers(this.#options.headers);
    for (const [name, value] of new Headers(options.headers)) headers.set(name, value);
    if (body.contentType && !headers.has("content-type")) {
      headers.set("content-type", body.contentType);
    }
    const maxRedirects = this.#options.maxRedirects ?? 10;
    for (let hop = 0;; hop++) {
      const hopHeaders = new Headers(headers);
      if (auth && url.origin === origin) await this.#options.authorize?.(hopHeaders, url);
      const cookie = this.cookies.header(url);
      if (cookie) hopHeaders.set("cookie", cookie);
      for (const name of ["authorization", "proxy-authorization", "cookie"]) {
        const value = hopHeaders.get(name);
        if (value) registerHeaderSecret(name, value);
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
        if (hop >= maxRedirects) {
          throw new UnknownBackendResponse(`${what}: more than ${maxRedirects} redirects`);
        }
        url = new URL(location, url);
        if (
          response.status === 303 ||
          ((response.status === 301 || response.status === 302) && method === "POST")
        ) {
          method = method === "HEAD" ? "HEAD" : "GET";
          body = {};
          headers.delete("content-type");
        }
        if (url.origin !== origin) {
          // Credentials of one origin are never sent to another.
          headers.delete("authorization");
          headers.delete("proxy-authorization");
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
    try {
      return await fetch(url, {
        ...init,
        signal: AbortSignal.any([...signals, head.signal]),
        ...(this.#client ? { client: this.#client } : {}),
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
        this.#log.info("credentials refreshed");
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

  #logRequest(what: string, options: RequestOptions): void {
    // Secrets in bodies are registered even when nothing is logged, so that they are
    // scrubbed from any later line that repeats them.
    const fields = options.json !== undefined
      ? redactFields(options.json)
      : options.form
      ? redactFields(Object.fromEntries(new URLSearchParams(options.form)))
      : undefined;
    this.#log.debug(() => {
      const headers = redactHeaders(new Headers(options.headers));
      const body = fields !== undefined
        ? JSON.stringify(fields)
        : options.body !== undefined
        ? `<${
          typeof options.body === "string" ? options.body.length : options.body.byteLength
        } bytes>`
        : "";
      return `${what}${headers ? ` headers: ${headers}` : ""}${body ? ` body: ${body}` : ""}`;
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
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
