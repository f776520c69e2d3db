/**
 * The secret values a log line must never show, found wherever they turn up: every value of
 * a sensitive structure is indexed, whatever its size or depth, and scrubbed from text.
 *
 * @module
 */
import { MASK } from "./redact.ts";

/** No secret is shorter: masking every "ok" or "1" would garble the log and hide nothing. */
export const MIN_SECRET_LENGTH = 6;
/**
 * Secrets few enough (a session's token and credentials) to look for one by one, natively,
 * instead of scanning a line character by character.
 */
const FEW = 32;
/** Secrets kept before the set gives up and withholds whole messages instead. */
const MAX_SECRETS = 1 << 22;
/** What a message becomes once there are more secrets than the set can index. */
export const WITHHELD = `${MASK} (message withheld: more secrets than the log can index)`;

/**
 * Member names whose string values describe a secret rather than hold one: a cookie's name,
 * domain and path, a host. Their values stay readable in the log (issue: a cookie domain
 * `.example.com` masked every later URL of that site). Compared without case or punctuation.
 */
const STRUCTURAL = new Set([
  "name",
  "domain",
  "path",
  "host",
  "hostname",
  "port",
  "scheme",
  "expires",
  "expiry",
  "expirationdate",
  "maxage",
  "samesite",
  "secure",
  "httponly",
  "hostonly",
  "priority",
]);

function isStructural(key: string): boolean {
  // The root of a walk has no key (a token, a password): no need to run, and so to compile,
  // the regular expression, which costs a fresh process more than the rest of the walk.
  return key !== "" && STRUCTURAL.has(key.toLowerCase().replace(/[^a-z]/g, ""));
}

const URL_START = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The secret parts of a URL (user info, query and fragment values, long path segments), or
 * undefined for a value that is not a URL. A login's `end_uri` then logs as
 * `https://host/done?code=****`: where it went stays readable, what it carried does not.
 */
function urlSecrets(text: string): string[] | undefined {
  // Most values are no URL: a plain search first, so that the session's first secret (the
  // token) does not compile the regular expression (startup is measured).
  if (!text.includes("://") || !URL_START.test(text) || !URL.canParse(text)) return undefined;
  const url = new URL(text);
  const parts = [url.username, url.password, safeDecode(url.password)];
  for (const raw of [url.search.slice(1), url.hash.slice(1)]) {
    for (const pair of raw.split("&")) {
      const value = pair.includes("=") ? pair.slice(pair.indexOf("=") + 1) : pair;
      parts.push(value, safeDecode(value));
    }
  }
  // A token can sit in the path too (`/auth/<token>`): long segments are masked.
  for (const segment of url.pathname.split("/")) if (segment.length >= 20) parts.push(segment);
  return parts;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** 31 to the power MIN_SECRET_LENGTH - 1: the weight of a window's first character. */
const OUTGOING = 31 ** (MIN_SECRET_LENGTH - 1);

function prefixHash(text: string, at: number): number {
  let h = 0;
  for (let k = at; k < at + MIN_SECRET_LENGTH; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
  return h;
}

interface Frame {
  readonly value: object;
  readonly keys: readonly string[] | null;
  readonly key: string;
  index: number;
}

/**
 * Keeps one string found in a value: the secrets of a URL, or the whole text. The walk of a
 * lone string (the session token) is this alone: `addSecrets` calls it without
 * building a walk, whose code a fresh process would compile before its first answer.
 */
export function addText(set: SecretSet, text: string, minLength: number): void {
  const parts = urlSecrets(text);
  if (!parts) set.add(text, minLength);
  else for (const part of parts) set.add(part, minLength);
}

/**
 * A walk through a structure that can stop after a budget of steps and go on later, so
 * that a 50 MB cache is indexed after its answer is sent, not before.
 */
export class SecretWalk {
  #stack: Frame[] = [];
  #seen = new Set<object>();
  #set: SecretSet;
  #minLength: number;

  #root: { value: unknown } | null;

  /** Prepares a walk of `value` that adds what it finds to `set`; nothing is read yet. */
  constructor(set: SecretSet, value: unknown, minLength: number) {
    this.#set = set;
    this.#minLength = minLength;
    this.#root = { value };
  }

  /** Walks at most `budget` members; returns whether the walk is done. */
  step(budget: number): boolean {
    if (this.#root) {
      // Listing the keys of a 1,000,000-key cache is itself a tenth of a second: not before
      // the first step.
      this.#visit("", this.#root.value);
      this.#root = null;
    }
    const stack = this.#stack;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const length = frame.keys ? frame.keys.length : (frame.value as unknown[]).length;
      if (frame.index >= length) {
        stack.pop();
        continue;
      }
      if (--budget < 0) return false;
      const i = frame.index++;
      if (frame.keys) {
        const key = frame.keys[i];
        this.#visit(key, (frame.value as Record<string, unknown>)[key]);
      } else {
        // An array's items are what its member holds: `domains: [...]` stays a domain list.
        this.#visit(frame.key, (frame.value as unknown[])[i]);
      }
    }
    return true;
  }

  #visit(key: string, value: unknown): void {
    if (typeof value === "string") {
      if (!isStructural(key)) addText(this.#set, value, this.#minLength);
    } else if (typeof value === "number" || typeof value === "bigint") {
      // A token can be a number; its text is what a log line would show.
      if (!isStructural(key)) this.#set.add(String(value), this.#minLength);
    } else if (value !== null && typeof value === "object" && !this.#seen.has(value)) {
      this.#seen.add(value);
      const keys = Array.isArray(value) ? null : Object.keys(value);
      this.#stack.push({ value, keys, key, index: 0 });
    }
  }
}

/**
 * A set of secret strings scrubbed from text. It has no capacity to evict from: a flood of
 * cookies or a large cache adds to it and never pushes a credential out. Lookup goes through
 * an index of the secrets' first characters, so a million secrets cost a scrub no more than
 * a few; past millions the set masks whole messages rather than let one through.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SecretSet } from "./secrets.ts";
 * const secrets = new SecretSet();
 * secrets.addFrom({ cookie: { name: "session", value: "hunter2-secret", domain: ".example.com" } });
 * assert(secrets.scrub("session=hunter2-secret on .example.com") === "session=**** on .example.com");
 * ```
 */
export class SecretSet {
  #values = new Set<string>();
  /** Prefix hash → the distinct lengths of the secrets that start so, longest first. */
  #lengths = new Map<number, number[]>();
  /**
   * A bit per prefix hash (folded to 20 bits) that some secret has: the scan of a line asks
   * the map only where a bit is set, and a log line is scrubbed character by character
   * (100,000 pushes logged at debug level are 15 million characters).
   */
  #prefixes = new Int32Array(1 << 15);
  /** The secrets while they are few (an array: a Set's iterator per line cost more). */
  #few: string[] | null = [];
  #full = false;

  /** Number of secrets kept, JSON-escaped forms included. */
  get size(): number {
    return this.#values.size;
  }

  /**
   * Keeps every value inside `value` (strings and numbers, at any depth) of `minLength`
   * characters or more, except those of structural members (a cookie's name, domain, path).
   *
   * @param value Anything: a credentials object, cookies, a cache.
   * @param minLength Shorter values are not kept.
   * @default {minLength} 6
   */
  addFrom(value: unknown, minLength: number = MIN_SECRET_LENGTH): void {
    new SecretWalk(this, value, minLength).step(Infinity);
  }

  /**
   * Keeps one secret, and its JSON-escaped form when that differs (logs show values inside
   * JSON, where a quote or backslash changes form).
   *
   * @param secret The secret value.
   * @param minLength Shorter secrets are not kept.
   * @default {minLength} 6
   */
  add(secret: string, minLength: number = MIN_SECRET_LENGTH): void {
    if (secret.length < Math.max(minLength, MIN_SECRET_LENGTH) || this.#values.has(secret)) return;
    this.#keep(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.#keep(escaped);
  }

  #keep(secret: string): void {
    if (this.#values.size >= MAX_SECRETS) {
      this.#full = true;
      return;
    }
    this.#values.add(secret);
    if (this.#values.size > FEW) this.#few = null;
    else this.#few?.push(secret);
    const hash = prefixHash(secret, 0);
    this.#prefixes[(hash >>> 5) & 0x7fff] |= 1 << (hash & 31);
    const lengths = this.#lengths.get(hash);
    if (!lengths) this.#lengths.set(hash, [secret.length]);
    else if (!lengths.includes(secret.length)) {
      lengths.push(secret.length);
      lengths.sort((a, b) => b - a);
    }
  }

  /** Returns `text` with every kept secret replaced by {@linkcode MASK}, longest first. */
  scrub(text: string): string {
    if (this.#full) return WITHHELD;
    if (this.#values.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    if (this.#few !== null) return maskFew(this.#few, text);
    const prefixes = this.#prefixes;
    let out = "";
    let copied = 0;
    const last = text.length - MIN_SECRET_LENGTH;
    // The hash of the window at i rolls on from the one at i - 1 (one character in, one
    // out) instead of being summed again: every log line is scrubbed, character by character.
    let hash = prefixHash(text, 0);
    for (let i = 0; i <= last;) {
      const lengths = prefixes[(hash >>> 5) & 0x7fff] & (1 << (hash & 31))
        ? this.#lengths.get(hash)
        : undefined;
      let matched = 0;
      if (lengths) {
        for (const length of lengths) {
          if (i + length <= text.length && this.#values.has(text.slice(i, i + length))) {
            matched = length;
            break;
          }
        }
      }
      if (matched === 0) {
        if (i < last) {
          hash = (Math.imul(hash - Math.imul(text.charCodeAt(i), OUTGOING), 31) +
            text.charCodeAt(i + MIN_SECRET_LENGTH)) | 0;
        }
        i++;
        continue;
      }
      out += text.slice(copied, i) + MASK;
      i += matched;
      copied = i;
      if (i <= last) hash = prefixHash(text, i);
    }
    return copied === 0 ? text : out + text.slice(copied);
  }
}

/**
 * What the scan of {@linkcode SecretSet.scrub} makes of `text` (from the left, the longest
 * secret that starts at each place), by a native search per secret: the scan runs a fresh
 * process's cold code per character, and the session's first answer holds its token. A
 * line without a secret costs one search per secret and comes back as it is.
 */
function maskFew(secrets: readonly string[], text: string): string {
  let out = "";
  let copied = 0;
  for (;;) {
    let at = -1;
    let length = 0;
    for (let k = 0; k < secrets.length; k++) {
      const found = text.indexOf(secrets[k], copied);
      if (found < 0) continue;
      if (at < 0 || found < at || (found === at && secrets[k].length > length)) {
        at = found;
        length = secrets[k].length;
      }
    }
    if (at < 0) return copied === 0 ? text : out + text.slice(copied);
    out += text.slice(copied, at) + MASK;
    copied = at + length;
  }
}
