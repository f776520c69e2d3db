/**
 * A cookie jar for one integration's HTTP client, after RFC 6265bis in what matters to a
 * store API and to a hostile server: Domain and Path scoping, expiry (Expires, Max-Age),
 * Secure, the `__Secure-` and `__Host-` prefixes, and the limits browsers keep. There is no
 * public-suffix list: a server may only set cookies for its own host or a parent domain of it.
 *
 * @module
 */
import { addSecrets } from "../log/mod.ts";

/**
 * One cookie as the jar keeps it and as it can be stored with the credentials. The shape of
 * Galaxy's own cookie records (`name`, `value`, `domain`, `path`) is a subset of it, so the
 * cookies of a NextStep web login can be put in the jar as they come.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CookieJar, type StoredCookie } from "@galaxy-ts/runtime/http";
 * // As Galaxy gives the cookies of a web login (pass_login_credentials):
 * const cookies: StoredCookie[] = [{ name: "sid", value: "s3ss10n-id", domain: ".store.example" }];
 * const jar = new CookieJar(cookies);
 * assert.equal(jar.header(new URL("https://api.store.example/")), "sid=s3ss10n-id");
 * // What to store with the credentials for the next session:
 * assert.equal(JSON.stringify(jar), '[{"name":"sid","value":"s3ss10n-id","domain":"store.example","path":"/","hostOnly":false}]');
 * ```
 */
export interface StoredCookie {
  /** The cookie's name. */
  name: string;
  /** The cookie's value. */
  value: string;
  /**
   * The domain; a leading dot (or `hostOnly: false`) makes it valid for subdomains too.
   * Without one, {@linkcode CookieJar.set} needs the URL whose host it is for.
   */
  domain?: string;
  /** The path prefix the cookie is sent for; "/" when absent. */
  path?: string;
  /** Expiry time, milliseconds since the epoch; absent for a session cookie. */
  expires?: number;
  /** Sent over https only. */
  secure?: boolean;
  /** Sent to `domain` only, not to its subdomains. */
  hostOnly?: boolean;
}

interface Entry {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: number | undefined;
  secure: boolean;
  hostOnly: boolean;
}

/** The limits of the jar, those of RFC 6265bis §5.7 and of browsers. */
const LIMITS = {
  /** Bytes of name and value together; a larger cookie is ignored. */
  cookieBytes: 4096,
  /** Bytes of one attribute's value; a larger attribute is ignored. */
  attributeBytes: 1024,
  /** Cookies per domain; past it, that domain's oldest is evicted. */
  perDomain: 50,
  /** Cookies in all; past it, the oldest is evicted. */
  total: 3000,
} as const;

const encoder = new TextEncoder();

/**
 * Keeps the cookies servers set and sends them back on the next matching requests, as a
 * browser does (RFC 6265bis): at most 4096 bytes of name and value per cookie, 50 cookies
 * per domain and 3000 in all (the oldest evicted past either); a `Secure` cookie only from
 * and to https, and never replaced from plain http. Values are sent back as the server set
 * them, double quotes included; a value the author sets that is not a valid cookie value is
 * sent double-quoted with escapes, as aiohttp sends it.
 *
 * Every value the jar keeps is registered with the logger as a secret, under a budget of
 * its own: a flood of cookies cannot push the credentials out of the log's scrubber.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CookieJar } from "@galaxy-ts/runtime/http";
 * const jar = new CookieJar();
 * const login = new URL("https://store.example/account/login");
 * jar.setFromResponse(login, ["sid=s3ss10n-id; Path=/; HttpOnly", 'pref="a b"', "old=1; Max-Age=0"]);
 * assert.equal(jar.header(new URL("https://store.example/api/games")), "sid=s3ss10n-id");
 * assert.equal(jar.header(new URL("https://store.example/account/x")), 'pref="a b"; sid=s3ss10n-id');
 * assert.equal(jar.header(new URL("https://other.example/")), undefined);
 * ```
 */
export class CookieJar {
  #entries: Entry[] = [];
  #onChange: (() => void) | undefined;

  /**
   * Creates a jar.
   *
   * @param cookies Cookies to start with: those of a NextStep login, or what
   * {@linkcode CookieJar.toJSON} gave in an earlier session. Each needs a domain.
   * @param onChange Called whenever a server adds, changes or removes a cookie, so that the
   * author can store the session again.
   * @throws {TypeError} A cookie has no name, value or domain.
   */
  constructor(cookies: Iterable<StoredCookie> = [], onChange?: () => void) {
    for (const cookie of cookies) this.set(cookie);
    this.#onChange = onChange;
  }

  /**
   * Number of cookies kept.
   *
   * @returns The count, expired ones not counted.
   */
  get size(): number {
    this.#dropExpired();
    return this.#entries.length;
  }

  /**
   * Adds or replaces a cookie given as a record, e.g. one of Galaxy's browser cookies after
   * a web login, or a session token the author stored. A cookie without a domain is for the
   * host of `url` only (host-only, as a `Set-Cookie` without `Domain`).
   *
   * @param cookie The cookie.
   * @param url Where the cookie comes from; its host is the domain of a cookie without one.
   * @throws {TypeError} The name or value is not a string, the name is empty, the cookie
   * has no domain and no `url` is given, or it is larger than 4096 bytes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { CookieJar } from "@galaxy-ts/runtime/http";
   * const jar = new CookieJar();
   * jar.set({ name: "_simpleauth_sess", value: "t0k3n" }, new URL("https://www.store.example/"));
   * assert.equal(jar.header(new URL("https://www.store.example/api")), "_simpleauth_sess=t0k3n");
   * assert.equal(jar.header(new URL("https://cdn.store.example/")), undefined);
   * ```
   */
  set(cookie: StoredCookie, url?: URL): void {
    if (typeof cookie.name !== "string" || typeof cookie.value !== "string" || !cookie.name) {
      throw new TypeError("a cookie needs a non-empty string name and a string value");
    }
    if (size(cookie.name, cookie.value) > LIMITS.cookieBytes) {
      throw new TypeError(`cookie ${cookie.name}: larger than ${LIMITS.cookieBytes} bytes`);
    }
    const rawDomain = (cookie.domain ?? "").trim().toLowerCase();
    if (!rawDomain && !url) {
      throw new TypeError(
        `cookie ${cookie.name}: a domain is needed, or the URL it is for: jar.set(cookie, url)`,
      );
    }
    this.#put({
      name: cookie.name,
      value: wireValue(cookie.value),
      domain: rawDomain ? rawDomain.replace(/^\./, "") : url!.hostname.toLowerCase(),
      path: cookie.path?.startsWith("/") ? cookie.path : "/",
      expires: cookie.expires,
      secure: cookie.secure ?? false,
      hostOnly: rawDomain ? cookie.hostOnly ?? !rawDomain.startsWith(".") : true,
    });
  }

  /**
   * Applies the `Set-Cookie` header values of a response. Lines that break a rule (a foreign
   * domain, `Secure` over http, a size limit, a prefix's conditions) are ignored, as a
   * browser ignores them.
   *
   * @param url The URL that answered.
   * @param setCookies The response's `Set-Cookie` values (`headers.getSetCookie()`).
   */
  setFromResponse(url: URL, setCookies: Iterable<string>): void {
    let changed = false;
    for (const line of setCookies) changed = this.#parse(url, line) || changed;
    if (changed) this.#onChange?.();
  }

  /**
   * The `Cookie` header to send to `url`.
   *
   * @param url Where the request goes.
   * @returns The header's value, or undefined when no cookie matches.
   */
  header(url: URL): string | undefined {
    this.#dropExpired();
    const host = url.hostname.toLowerCase();
    const path = url.pathname || "/";
    const secure = url.protocol === "https:";
    const matching = this.#entries.filter((e) =>
      (e.hostOnly ? host === e.domain : domainMatches(host, e.domain)) &&
      pathMatches(path, e.path) && (secure || !e.secure)
    );
    if (matching.length === 0) return undefined;
    // Longer paths first, as RFC 6265 asks; the sort is stable for equal lengths.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((e) => `${e.name}=${e.value}`).join("; ");
  }

  /** Forgets every cookie (log out). */
  clear(): void {
    this.#entries = [];
  }

  /**
   * The cookies, as records to store with the credentials and give back to the constructor.
   *
   * @returns One record per cookie kept, expired ones left out.
   */
  toJSON(): StoredCookie[] {
    this.#dropExpired();
    return this.#entries.map((e) => {
      const cookie: StoredCookie = { name: e.name, value: e.value, domain: e.domain, path: e.path };
      if (e.expires !== undefined) cookie.expires = e.expires;
      if (e.secure) cookie.secure = true;
      if (!e.hostOnly) cookie.hostOnly = false;
      return cookie;
    });
  }

  #put(entry: Entry): void {
    // Quoted values are sent quoted; the text inside the quotes is the secret part too. The
    // log's index never evicts, so a flood of cookies cannot push a credential out of it.
    addSecrets([entry.value, entry.value.replace(/^"(.*)"$/, "$1")]);
    if (entry.expires !== undefined && entry.expires <= Date.now()) {
      this.#remove(entry);
      return;
    }
    // A replaced cookie keeps its place: RFC 6265 orders by creation time.
    const i = this.#entries.findIndex((e) => sameCookie(e, entry));
    if (i >= 0) {
      this.#entries[i] = entry;
      return;
    }
    this.#entries.push(entry);
    this.#dropExpired();
    const sameDomain = this.#entries.filter((e) => e.domain === entry.domain);
    if (sameDomain.length > LIMITS.perDomain) this.#evict(sameDomain[0]);
    if (this.#entries.length > LIMITS.total) this.#evict(this.#entries[0]);
  }

  #evict(entry: Entry): void {
    this.#entries.splice(this.#entries.indexOf(entry), 1);
  }

  #remove(entry: Pick<Entry, "name" | "domain" | "path">): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => !sameCookie(e, entry));
    return this.#entries.length !== before;
  }

  #dropExpired(): void {
    const now = Date.now();
    if (this.#entries.some((e) => e.expires !== undefined && e.expires <= now)) {
      this.#entries = this.#entries.filter((e) => e.expires === undefined || e.expires > now);
    }
  }

  /** Parses one Set-Cookie line; returns whether the jar changed. */
  #parse(url: URL, line: string): boolean {
    const [pair, ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq < 0) return false;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!name || size(name, value) > LIMITS.cookieBytes) return false;
    const host = url.hostname.toLowerCase();
    const fromHttps = url.protocol === "https:";
    let domain = host;
    let hostOnly = true;
    let path = defaultPath(url);
    let explicitPath = false;
    let expires: number | undefined;
    let maxAge: number | undefined;
    let secure = false;
    for (const attribute of attributes) {
      const i = attribute.indexOf("=");
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const arg = i < 0 ? "" : attribute.slice(i + 1).trim();
      if (encoder.encode(arg).length > LIMITS.attributeBytes) continue;
      if (key === "domain" && arg) {
        const wanted = arg.replace(/^\./, "").toLowerCase();
        // A server may not set cookies for a domain that is not its own or a parent of it.
        if (!domainMatches(host, wanted)) return false;
        domain = wanted;
        hostOnly = false;
      } else if (key === "path") {
        explicitPath = arg.startsWith("/");
        path = explicitPath ? arg : defaultPath(url);
      } else if (key === "expires") {
        const time = Date.parse(arg);
        if (!Number.isNaN(time)) expires = time;
      } else if (key === "max-age" && /^-?\d+$/.test(arg)) {
        maxAge = Number(arg);
      } else if (key === "secure") {
        secure = true;
      }
    }
    // Secure cookies are set over https only (RFC 6265bis §5.7 step 13).
    if (secure && !fromHttps) return false;
    // The prefixes promise how a cookie was set; a line that breaks the promise is ignored.
    if (/^__secure-/i.test(name) && !secure) return false;
    if (/^__host-/i.test(name) && (!secure || !hostOnly || !explicitPath || path !== "/")) {
      return false;
    }
    // Plain http may not replace, or shadow, a Secure cookie (§5.7 step 16).
    if (
      !fromHttps && this.#entries.some((e) =>
        e.secure && e.name === name &&
        (domainMatches(domain, e.domain) || domainMatches(e.domain, domain)) &&
        pathMatches(path, e.path)
      )
    ) {
      return false;
    }
    if (maxAge !== undefined) expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
    const entry = { name, value, domain, path, expires, secure, hostOnly };
    if (expires !== undefined && expires <= Date.now()) return this.#remove(entry);
    this.#put(entry);
    return true;
  }
}

function sameCookie(a: Pick<Entry, "name" | "domain" | "path">, b: typeof a): boolean {
  return a.name === b.name && a.domain === b.domain && a.path === b.path;
}

function size(name: string, value: string): number {
  return encoder.encode(name).length + encoder.encode(value).length;
}

/**
 * A value the author sets, as it will go in a Cookie header: as it is when it is made of
 * cookie-octets or is already a quoted string, otherwise double-quoted with `\` escapes, as
 * aiohttp sends such values (`,` and `;` and bytes outside printable ASCII as `\ooo` octal
 * escapes of their UTF-8, so that the header stays one valid ASCII line).
 */
function wireValue(value: string): string {
  if (/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/.test(value)) return value;
  if (/^"(?:[\x20\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/.test(value)) {
    return value;
  }
  let out = "";
  for (const byte of encoder.encode(value)) {
    const char = String.fromCharCode(byte);
    if (char === '"' || char === "\\") out += "\\" + char;
    else if (byte < 0x20 || byte > 0x7e || char === ";" || char === ",") {
      out += "\\" + byte.toString(8).padStart(3, "0");
    } else out += char;
  }
  return `"${out}"`;
}
function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith("." + domain) && !/^\d+(\.\d+){3}$/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  const last = path.lastIndexOf("/");
  return last <= 0 ? "/" : path.slice(0, last);
}
