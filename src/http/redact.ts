/**
 * Keeping secrets of HTTP traffic out of logs: query parameters, headers and body fields
 * whose names say they hold a secret are masked, and their values are registered with the
 * logger so that they are scrubbed from any other line too.
 *
 * @module
 */
import { addSecrets, MASK } from "../log/mod.ts";

/**
 * Names of query parameters, headers and body fields that hold secrets. Broad on purpose:
 * masking a harmless `code` costs a little log detail, leaking a token costs an account.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SECRET_NAME } from "./redact.ts";
 * assert(SECRET_NAME.test("access_token") && !SECRET_NAME.test("page"));
 * ```
 */
export const SECRET_NAME: RegExp =
  /token|secret|passw|pwd|code|key|sig|auth|session|sid|ticket|credential|cookie|nonce|otp|pin$/i;

/**
 * The URL as it may be logged: user info removed, secret query values masked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactUrl } from "./redact.ts";
 * const shown = redactUrl(new URL("https://u:p@api.example/me?access_token=abc123&page=2"));
 * assert(shown === "https://api.example/me?access_token=****&page=2");
 * ```
 */
export function redactUrl(url: URL): string {
  const shown = new URL(url);
  shown.username = "";
  shown.password = "";
  if (url.username || url.password) addSecrets([url.username, url.password]);
  const query = [...shown.searchParams].map(([name, value]) => {
    if (!SECRET_NAME.test(name)) return `${encode(name)}=${encode(value)}`;
    addSecrets(value);
    return `${encode(name)}=${MASK}`;
  });
  shown.search = "";
  return shown.href + (query.length ? "?" + query.join("&") : "");
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, "+");
}

/**
 * The headers as they may be logged, as one string: secret ones masked (Authorization,
 * Cookie, Set-Cookie, API keys…), their values registered as secrets.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactHeaders } from "./redact.ts";
 * const shown = redactHeaders(new Headers({ authorization: "Bearer t0k3n-xyz", accept: "*\/*" }));
 * assert(shown === "accept: *\/*, authorization: ****");
 * ```
 */
export function redactHeaders(headers: Headers): string {
  const parts: string[] = [];
  for (const [name, value] of headers) {
    if (SECRET_NAME.test(name)) {
      registerHeaderSecret(name, value);
      parts.push(`${name}: ${MASK}`);
    } else {
      parts.push(`${name}: ${value}`);
    }
  }
  return parts.join(", ");
}

/**
 * Registers the secret parts of a header value with the logger: the credentials after an
 * Authorization scheme, each value of a Cookie list, or the whole value.
 */
export function registerHeaderSecret(name: string, value: string): void {
  const lower = name.toLowerCase();
  if (lower === "authorization" || lower === "proxy-authorization") {
    addSecrets([value, value.replace(/^\S+\s+/, "")]);
  } else if (lower === "cookie") {
    addSecrets(value.split(/;\s*/).map((pair) => pair.slice(pair.indexOf("=") + 1)));
  } else {
    addSecrets(value);
  }
}

/**
 * A JSON or form body as it may be logged: fields with secret names masked, at any depth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { redactFields } from "./redact.ts";
 * const shown = redactFields({ grant_type: "refresh", refresh_token: "rt-1234567" });
 * assert(JSON.stringify(shown) === '{"grant_type":"refresh","refresh_token":"****"}');
 * ```
 */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 16 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SECRET_NAME.test(key)) {
      addSecrets(item);
      out[key] = MASK;
    } else {
      out[key] = redactFields(item, depth + 1);
    }
  }
  return out;
}

/**
 * A function that masks one request's secrets in a text that may repeat them (the message of
 * a `fetch` failure quotes the whole URL): every http(s) URL in it shown as
 * {@linkcode redactUrl} shows it, then the URL's user info, its secret query values and the
 * values of secret headers masked wherever they appear.
 */
export function scrubberFor(url: URL, headers: Headers): (text: string) => string {
  const secrets: string[] = [];
  const keep = (value: string) => {
    if (value.length >= 3) secrets.push(value);
    const decoded = safeDecode(value);
    if (decoded !== value && decoded.length >= 3) secrets.push(decoded);
  };
  keep(url.username);
  keep(url.password);
  for (const [name, value] of url.searchParams) {
    if (SECRET_NAME.test(name)) [value, encode(value)].forEach(keep);
  }
  for (const [name, value] of headers) {
    if (SECRET_NAME.test(name)) [value, value.replace(/^\S+\s+/, "")].forEach(keep);
  }
  secrets.sort((a, b) => b.length - a.length);
  return (text) => {
    text = text.replace(/\bhttps?:\/\/[^\s()"'<>]+/gi, (found) => {
      const parsed = URL.parse(found);
      return parsed ? redactUrl(parsed) : MASK;
    });
    for (const secret of secrets) text = text.split(secret).join(MASK);
    return text;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
