/**
 * How HTTP statuses and transport failures become Galaxy errors: the table of the reference
 * SDK's `galaxy.http.handle_exception`, applied to `fetch`'s failures.
 *
 * @module
 */
import {
  AccessDenied,
  type ApplicationError,
  AuthenticationRequired,
  BackendError,
  BackendNotAvailable,
  BackendTimeout,
  NetworkError,
  permissionDenial,
  TooManyRequests,
  UnknownBackendResponse,
  UnknownError,
} from "../protocol/mod.ts";

/** A request as errors name it: method and URL, the URL already free of secrets. */
export interface RequestInfo {
  /** The method, upper case. */
  readonly method: string;
  /** The URL without user info and with secret query values masked. */
  readonly url: string;
  /** Masks this request's secrets (URL, headers) in a text that may repeat them. */
  readonly scrub: (text: string) => string;
}

function what(request: RequestInfo): string {
  return `${request.method} ${request.url}`;
}

/** Keeps `cause` on `error` as a native `cause` (not enumerable, so not sent as data). */
function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, "cause", { value: cause, writable: true, configurable: true });
  return error;
}

/**
 * The Galaxy error for a response whose status is not 2xx, as the reference maps it: 401
 * AuthenticationRequired, 403 AccessDenied, 429 TooManyRequests, 503 BackendNotAvailable,
 * any other 5xx BackendError, any other 4xx UnknownError; a status the reference never sees
 * as an error (an unfollowed 3xx, 1xx) is UnknownBackendResponse. `data.status` carries the
 * status for the author's own checks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccessDenied } from "../protocol/mod.ts";
 * import { errorForStatus } from "./errors.ts";
 * const request = { method: "GET", url: "https://api.example/me", scrub: (t: string) => t };
 * const error = errorForStatus(403, "Forbidden", request);
 * assert(error instanceof AccessDenied && error.data.status === 403);
 * ```
 */
export function errorForStatus(
  status: number,
  statusText: string,
  request: RequestInfo,
): ApplicationError {
  const message = `${what(request)} answered ${status}${statusText ? " " + statusText : ""}`;
  const data = { status, method: request.method, url: request.url };
  if (status === 401) return new AuthenticationRequired(message, data);
  if (status === 403) return new AccessDenied(message, data);
  if (status === 429) return new TooManyRequests(message, data);
  if (status === 503) return new BackendNotAvailable(message, data);
  if (status >= 500) return new BackendError(message, data);
  if (status >= 400) return new UnknownError(message, data);
  return new UnknownBackendResponse(message, data);
}

/**
 * The Galaxy error for a `fetch` that failed without a response, as the reference maps
 * aiohttp's exceptions:
 *
 * - our own timeout (`TimeoutError`) → BackendTimeout (asyncio.TimeoutError);
 * - the server closed the connection before answering, or in the middle of the body →
 *   BackendNotAvailable (aiohttp's ServerDisconnectedError);
 * - refused, reset, DNS failure, TLS failure, any other connection failure → NetworkError
 *   (aiohttp's ClientConnectionError);
 * - anything else → UnknownError (aiohttp's ClientError).
 *
 * A permission Deno denied is none of these: it is UnknownError whose message is the one line
 * of {@linkcode permissionDenial} (which `deno.json` entry grants it).
 *
 * The message names the request (already free of secrets), never `fetch`'s own text, which
 * repeats the full URL. The error keeps what was thrown as its `cause`, and its `data` holds
 * `kind` (see {@linkcode FailureKind}), `cause` (the thrown error's name and message, this
 * request's secrets masked), `method` and `url`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendTimeout } from "../protocol/mod.ts";
 * import { errorForFailure } from "./errors.ts";
 * const request = { method: "GET", url: "https://a.example/", scrub: (t: string) => t };
 * const error = errorForFailure(new DOMException("late", "TimeoutError"), request);
 * assert(error instanceof BackendTimeout && error.data.kind === "timeout");
 * ```
 */
export function errorForFailure(error: unknown, request: RequestInfo): ApplicationError {
  const denial = permissionDenial(error);
  const kind = denial ? "permission" : failureKind(error);
  const data: Record<string, unknown> = {
    kind,
    cause: request.scrub(allText(error)).slice(0, 1000),
    method: request.method,
    url: request.url,
  };
  const name = what(request);
  let galaxyError: ApplicationError;
  switch (kind) {
    case "permission":
      data.permission = denial!.permission;
      data.resource = denial!.resource;
      data.entry = denial!.entry;
      galaxyError = new UnknownError(`${name}: ${denial!.message}`, data);
      break;
    case "timeout":
      galaxyError = new BackendTimeout(`${name} timed out`, data);
      break;
    case "disconnected":
      galaxyError = new BackendNotAvailable(`${name}: the server closed the connection`, data);
      break;
    case "network":
      galaxyError = new NetworkError(`${name}: ${networkReason(error)}`, data);
      break;
    case "tls":
      galaxyError = new NetworkError(`${name}: TLS failure (certificate not trusted?)`, data);
      break;
    default:
      galaxyError = new UnknownError(`${name} failed: ${data.cause}`, data);
  }
  return withCause(galaxyError, error);
}

/**
 * What went wrong with a request that got no (whole) response; "network" failures may pass
 * (worth a retry), a "tls" one will not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type FailureKind, failureKind } from "./errors.ts";
 * const kind: FailureKind = failureKind(new DOMException("late", "TimeoutError"));
 * assert(kind === "timeout");
 * ```
 */
export type FailureKind = "timeout" | "disconnected" | "network" | "tls" | "other";

/**
 * Sorts a `fetch` failure. Deno reports them as `TypeError`s whose texts (and causes' texts)
 * are the only distinguishing mark, so this reads them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { failureKind } from "./errors.ts";
 * const refused = new TypeError("fetch failed", {
 *   cause: new Error("client error (Connect): tcp connect error: Connection refused (os error 111)"),
 * });
 * assert(failureKind(refused) === "network");
 * ```
 */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof DOMException && error.name === "TimeoutError") return "timeout";
  const text = allText(error);
  if (/connection closed before message completed|error reading a body/i.test(text)) {
    return "disconnected";
  }
  if (!(error instanceof TypeError)) return "other";
  if (/certificate|tls|ssl/i.test(text)) return "tls";
  if (/connect|reset|dns|lookup|refused|unreachable|broken pipe|blocked|os error/i.test(text)) {
    return "network";
  }
  return "other";
}

function networkReason(error: unknown): string {
  const text = allText(error);
  if (/refused/i.test(text)) return "connection refused";
  if (/reset/i.test(text)) return "connection reset";
  if (/dns|lookup/i.test(text)) return "host name not found";
  return "network failure";
}

function allText(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(depth === 0 ? `${e.name}: ${e.message}` : e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(" | ");
}
