/**
 * Masking of sensitive values before anything is formatted for a log.
 *
 * @module
 */

/** What replaces a sensitive value in a log. */
export const MASK = "****";

/** Which parameters are sensitive: all of them (`true`), none (`false`), or the named ones. */
export type Sensitivity = boolean | readonly string[];

/**
 * Returns `params` with its sensitive members replaced by {@linkcode MASK}; the input is not
 * changed. Anything that is not a plain object is masked whole when `sensitive` is `true`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redact } from "./redact.ts";
 * const shown = redact({ step: "1", cookies: [{ value: "s" }] }, ["cookies"]);
 * assert(JSON.stringify(shown) === '{"step":"1","cookies":"****"}');
 * ```
 */
export function redact(params: unknown, sensitive: Sensitivity): unknown {
  if (sensitive === false || (Array.isArray(sensitive) && sensitive.length === 0)) return params;
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return sensitive === true && params !== null && params !== undefined ? MASK : params;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = sensitive === true || (sensitive as readonly string[]).includes(key) ? MASK : value;
  }
  return out;
}

const MAX_PATTERN_SECRET = 256;
/** Values looked at per call: a 50 MB cache must not cost a walk through all of it. */
const MAX_VISITS = 4096;

/** Limits of a {@linkcode SecretSet}. */
export interface SecretSetOptions {
  /** Most secrets kept. */
  capacity?: number;
  /** Shorter strings are not kept: masking every "ok" would garble the log. */
  minLength?: number;
  /**
   * When full, forget the oldest secret for a new one (tokens rotate: the newest matter
   * most), instead of keeping the first ones and ignoring the rest.
   */
  evictOldest?: boolean;
}

/**
 * A set of secret strings that are scrubbed from every formatted log line, as a second
 * line of defence behind {@linkcode redact}: a secret that reaches a message by another
 * way (an error text, a stack trace) is still masked. Short strings are not kept, since
 * masking every "ok" or "1" would garble the log without hiding anything.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretSet } from "./redact.ts";
 * const secrets = new SecretSet();
 * secrets.addFrom({ token: "hunter2-secret" });
 * assert(secrets.scrub("token was hunter2-secret") === "token was ****");
 * ```
 */
export class SecretSet {
  #values = new Set<string>();
  #pattern: RegExp | null = null;
  #long: string[] = [];
  #capacity: number;
  #minLength: number;
  #evictOldest: boolean;

  /** Creates an empty set; by default 512 secrets of 6 characters or more, newest kept. */
  constructor(options: SecretSetOptions = {}) {
    this.#capacity = options.capacity ?? 512;
    this.#minLength = options.minLength ?? 6;
    this.#evictOldest = options.evictOldest ?? true;
  }

  /** Number of secrets kept. */
  get size(): number {
    return this.#values.size;
  }

  /**
   * Keeps the strings found in `value` (recursively, at most a few thousand values deep
   * into it) that are long enough to matter.
   */
  addFrom(value: unknown): void {
    let visits = 0;
    const visit = (item: unknown, depth: number): void => {
      if (depth > 8 || ++visits > MAX_VISITS) return;
      if (typeof item === "string") this.#add(item);
      else if (Array.isArray(item)) {
        for (const x of item) {
          if (visits > MAX_VISITS) return;
          visit(x, depth + 1);
        }
      } else if (item !== null && typeof item === "object") {
        for (const key in item) {
          if (visits > MAX_VISITS) return;
          visit((item as Record<string, unknown>)[key], depth + 1);
        }
      }
    };
    visit(value, 0);
  }

  #add(secret: string, escapedToo = true): void {
    if (secret.length < this.#minLength || this.#values.has(secret)) return;
    if (this.#values.size >= this.#capacity) {
      if (!this.#evictOldest) return;
      this.#values.delete(this.#values.values().next().value as string);
    }
    this.#values.add(secret);
    this.#pattern = null;
    // Logs show values inside JSON, where a quote, backslash or control character changes
    // form: keep that form too.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escapedToo && escaped !== secret) this.#add(escaped, false);
  }

  /** Replaces every kept secret in `text` by {@linkcode MASK}. */
  scrub(text: string): string {
    if (this.#values.size === 0) return text;
    if (this.#pattern === null) {
      // Longest first, so that a secret containing another is masked whole. Long secrets
      // stay out of the pattern: a few MB of alternatives is more than V8 can compile.
      const sorted = [...this.#values].sort((a, b) => b.length - a.length);
      this.#long = sorted.filter((s) => s.length > MAX_PATTERN_SECRET);
      const short = sorted.filter((s) => s.length <= MAX_PATTERN_SECRET);
      this.#pattern = short.length > 0 ? new RegExp(short.map(escapeRegExp).join("|"), "g") : /$^/g;
    }
    for (const secret of this.#long) {
      if (text.length >= secret.length) text = text.split(secret).join(MASK);
    }
    return text.replace(this.#pattern, MASK);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
