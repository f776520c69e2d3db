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
  TooManyRequests,
  UnknownBackendResponse,
  UnknownError,
} from "../protocol/mod.ts";

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
 * const error = errorForStatus(403, "Forbidden", "GET https://api.example/me");
 * assert(error instanceof AccessDenied && error.data.status === 403);
 * ```
 */
export function errorForStatus(
  status: number,
  statusText: string,
  what: string,
): ApplicationError {
  const message = `${what} answered ${status}${statusText ? " " + statusText : ""}`;
  const data = { status };
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
 * The message names the request (`what`, already free of secrets), never `fetch`'s own text,
 * which repeats the full URL.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BackendTimeout } from "../protocol/mod.ts";
 * import { errorForFailure } from "./errors.ts";
 * const error = errorForFailure(new DOMException("late", "TimeoutError"), "GET https://a.example/");
 * assert(error instanceof BackendTimeout);
 * ```
 */
export function errorForFailure(error: unknown, what: string): ApplicationError {
  const kind = failureKind(error);
  switch (kind) {
    case "timeout":
      return new BackendTimeout(`${what} timed out`);
    case "disconnected":
      return new BackendNotAvailable(`${what}: the server closed the connection`);
    case "network":
      return new NetworkError(`${what}: ${networkReason(error)}`);
    case "tls":
      return new NetworkError(`${what}: TLS failure (certificate not trusted?)`);
    default:
      return new UnknownError(`${what} failed`);
  }
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
      parts.push(e.message);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(" | ");
}
