/**
 * When and how long to wait before asking again.
 *
 * @module
 */

/**
 * How the client retries; every field has a default.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpClient, type RetryOptions } from "@galaxy-ts/runtime/http";
 * // Three attempts in all, within ten seconds, for a store that is often briefly down.
 * const retry: RetryOptions = { attempts: 3, maxElapsedMs: 10_000 };
 * const http = new HttpClient({ retry });
 * assert.throws(() => new HttpClient({ retry: { attempts: 0 } }), RangeError);
 * http.close();
 * ```
 */
export interface RetryOptions {
  /**
   * Attempts in all, the first one included; 1 turns retries off. A whole number ≥ 1.
   *
   * @default {4}
   */
  attempts?: number;
  /**
   * The first backoff step in milliseconds; it doubles each time.
   *
   * @default {250}
   */
  baseDelayMs?: number;
  /**
   * The longest single wait in milliseconds, Retry-After included.
   *
   * @default {10000}
   */
  maxDelayMs?: number;
  /**
   * The longest a request may take in milliseconds, all attempts and waits together: a
   * retry whose wait would end later is not made.
   *
   * @default {60000}
   */
  maxElapsedMs?: number;
}

/**
 * {@linkcode RetryOptions} with every default filled in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type RetryPolicy, retryPolicy } from "./retry.ts";
 * const policy: RetryPolicy = retryPolicy({ attempts: 2 });
 * assert(policy.attempts === 2 && policy.maxElapsedMs === 60_000);
 * ```
 */
export type RetryPolicy = Required<RetryOptions>;

/**
 * Fills in the defaults of {@linkcode RetryOptions}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryPolicy } from "./retry.ts";
 * assert(retryPolicy({ attempts: 2 }).baseDelayMs === 250);
 * ```
 */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = {
    attempts: options.attempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    maxElapsedMs: options.maxElapsedMs ?? 60_000,
  };
  for (const [name, value] of Object.entries(policy)) {
    const whole = name === "attempts";
    if (
      typeof value !== "number" || !Number.isFinite(value) || value < (whole ? 1 : 0) ||
      (whole && !Number.isInteger(value))
    ) {
      throw new RangeError(
        `HttpClient: retry.${name} must be a finite ${
          whole ? "whole number ≥ 1" : "number ≥ 0"
        }, not ${String(value)}`,
      );
    }
  }
  return policy;
}

/**
 * Methods that RFC 9110 calls idempotent: asking twice does what asking once does, so they
 * are retried without being told to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IDEMPOTENT_METHODS } from "./retry.ts";
 * assert(IDEMPOTENT_METHODS.has("PUT") && !IDEMPOTENT_METHODS.has("POST"));
 * ```
 */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  "GET",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "PUT",
  "DELETE",
]);

/**
 * Statuses worth asking again for: rate limited, or a gateway or backend briefly down.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RETRY_STATUSES } from "./retry.ts";
 * assert(RETRY_STATUSES.has(503) && !RETRY_STATUSES.has(500));
 * ```
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * The wait a `Retry-After` header asks for, in milliseconds (seconds or an HTTP date), or
 * undefined when absent or unreadable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRetryAfter } from "./retry.ts";
 * assert(parseRetryAfter("2") === 2000);
 * assert(parseRetryAfter("soon") === undefined);
 * ```
 */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1 for the first): exponential backoff with full
 * jitter, so that many clients failing together do not come back together; a server's
 * Retry-After wins when it asks for longer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay, retryPolicy } from "./retry.ts";
 * const wait = backoffDelay(retryPolicy(), 3);
 * assert(wait >= 0 && wait <= 1000);
 * ```
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.random() * ceiling;
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}
