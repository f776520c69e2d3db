/**
 * A cookie jar for one integration's HTTP client, after RFC 6265 in what matters to a store
 * API: Domain and Path scoping, expiry (Expires, Max-Age), Secure. There is no public-suffix
 * list: a server may only set cookies for its own host or a parent domain of it.
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
 * import { CookieJar, type StoredCookie } from "./cookies.ts";
 * const cookie: StoredCookie = { name: "sid", value: "s3ss10n-id", domain: "store.example" };
 * const jar = new CookieJar([cookie]);
 * assert(jar.header(new URL("https://store.example/")) === "sid=s3ss10n-id");
 * ```
 */
export interface StoredCookie {
  /** The cookie's name. */
  name: string;
  /** The cookie's value. */
  value: string;
  /** The domain; a leading dot (or `hostOnly: false`) makes it valid for subdomains too. */
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

/**
 * Keeps the cookies servers set and sends them back on the next matching requests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CookieJar } from "./cookies.ts";
 * const jar = new CookieJar();
 * const url = new URL("https://store.example/account/login");
 * jar.setFromResponse(url, ["sid=s3ss10n-id; Path=/; HttpOnly", "lang=en; Max-Age=0"]);
 * assert(jar.header(new URL("https://store.example/api/games")) === "sid=s3ss10n-id");
 * assert(jar.header(new URL("https://other.example/")) === undefined);
 * ```
 */
export class CookieJar {
  #entries: Entry[] = [];
  #onChange: (() => void) | undefined;

  /**
   * Creates a jar holding `cookies` (for instance the cookies of a NextStep login, or what
   * {@linkcode CookieJar.toJSON} gave in an earlier session); `onChange` is called whenever
   * a server adds, changes or removes a cookie, so the author can store the session again.
   */
  constructor(cookies: Iterable<StoredCookie> = [], onChange?: () => void) {
    for (const cookie of cookies) this.set(cookie);
    this.#onChange = onChange;
  }

  /** Number of cookies kept (expired ones not counted). */
  get size(): number {
    this.#dropExpired();
    return this.#entries.length;
  }

  /**
   * Adds or replaces a cookie given as a record, e.g. one of Galaxy's browser cookies
   * after a web login. A cookie without a domain is refused: it would match nothing.
   */
  set(cookie: StoredCookie): void {
    if (typeof cookie.name !== "string" || typeof cookie.value !== "string") {
      throw new TypeError("a cookie needs a string name and value");
    }
    const rawDomain = (cookie.domain ?? "").trim().toLowerCase();
    if (!rawDomain) throw new TypeError(`cookie ${cookie.name}: a domain is needed`);
    this.#put({
      name: cookie.name,
      value: cookie.value,
      domain: rawDomain.replace(/^\./, ""),
      path: cookie.path?.startsWith("/") ? cookie.path : "/",
      expires: cookie.expires,
      secure: cookie.secure ?? false,
      hostOnly: cookie.hostOnly ?? !rawDomain.startsWith("."),
    });
  }

  /** Applies the `Set-Cookie` header values of a response to `url`. */
  setFromResponse(url: URL, setCookies: Iterable<string>): void {
    let changed = false;
    for (const line of setCookies) changed = this.#parse(url, line) || changed;
    if (changed) this.#onChange?.();
  }

  /** The `Cookie` header to send to `url`, or undefined when no cookie matches. */
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

  /** The cookies, as records to store with the credentials and give back to the constructor. */
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
    addSecrets(entry.value);
    if (entry.expires !== undefined && entry.expires <= Date.now()) {
      this.#remove(entry);
      return;
    }
    // A replaced cookie keeps its place: RFC 6265 orders by creation time.
    const i = this.#entries.findIndex((e) =>
      e.name === entry.name && e.domain === entry.domain && e.path === entry.path
    );
    if (i >= 0) this.#entries[i] = entry;
    else this.#entries.push(entry);
  }

  #remove(entry: Pick<Entry, "name" | "domain" | "path">): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) =>
      !(e.name === entry.name && e.domain === entry.domain && e.path === entry.path)
    );
    return this.#entries.length !== before;
  }

  #dropExpired(): void {
    const now = Date.now();
    this.#entries = this.#entries.filter((e) => e.expires === undefined || e.expires > now);
  }

  /** Parses one Set-Cookie line; returns whether the jar changed. */
  #parse(url: URL, line: string): boolean {
    const [pair, ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq < 0) return false;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!name) return false;
    const host = url.hostname.toLowerCase();
    let domain = host;
    let hostOnly = true;
    let path = defaultPath(url);
    let expires: number | undefined;
    let maxAge: number | undefined;
    let secure = false;
    for (const attribute of attributes) {
      const i = attribute.indexOf("=");
      const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
      const arg = i < 0 ? "" : attribute.slice(i + 1).trim();
      if (key === "domain" && arg) {
        const wanted = arg.replace(/^\./, "").toLowerCase();
        // A server may not set cookies for a domain that is not its own or a parent of it.
        if (!domainMatches(host, wanted)) return false;
        domain = wanted;
        hostOnly = false;
      } else if (key === "path") {
        path = arg.startsWith("/") ? arg : defaultPath(url);
      } else if (key === "expires") {
        const time = Date.parse(arg);
        if (!Number.isNaN(time)) expires = time;
      } else if (key === "max-age" && /^-?\d+$/.test(arg)) {
        maxAge = Number(arg);
      } else if (key === "secure") {
        secure = true;
      }
    }
    if (maxAge !== undefined) expires = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
    const entry = { name, value, domain, path, expires, secure, hostOnly };
    if (expires !== undefined && expires <= Date.now()) return this.#remove(entry);
    this.#put(entry);
    return true;
  }
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
