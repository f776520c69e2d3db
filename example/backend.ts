// A small stand-in for a store's web service, for the example integration (../plugin.ts):
// a login page whose form ends on /done?code=…, an OAuth-style token endpoint (code and
// refresh-token grants, rotating refresh tokens), and a JSON API behind Bearer tokens.
//
// Run it alone:  deno run -A example/backend.ts [port]     (default port 8787)
// The example's tests and demo start it themselves on a free port.

/** One game of the store's catalogue. */
interface CatalogueGame {
  id: string;
  title: string;
  dlcs: { id: string; title: string }[];
  achievements: { id: string; name: string; unlockedAt: number | null }[];
  minutesPlayed: number;
  lastPlayed: number;
}

const CATALOGUE: CatalogueGame[] = [
  {
    id: "1001",
    title: "Tiny Tactics",
    dlcs: [{ id: "1001-s", title: "Tiny Tactics: Soundtrack" }],
    achievements: [
      { id: "first-win", name: "First Win", unlockedAt: 1_700_000_000 },
      { id: "flawless", name: "Flawless", unlockedAt: 1_700_086_400 },
      { id: "all-maps", name: "Cartographer", unlockedAt: null },
    ],
    minutesPlayed: 754,
    lastPlayed: 1_700_090_000,
  },
  {
    id: "1002",
    title: "Harbour Lights",
    dlcs: [],
    achievements: [{ id: "dock", name: "Docked", unlockedAt: 1_690_000_000 }],
    minutesPlayed: 61,
    lastPlayed: 1_690_000_500,
  },
  {
    id: "1003",
    title: "Quiet Orbit",
    dlcs: [],
    achievements: [],
    minutesPlayed: 0,
    lastPlayed: 0,
  },
];

const USER = { id: "u-4711", name: "demo-player" };

/** A running backend. */
export interface Backend {
  /** Its base URL, ending in "/". */
  readonly url: string;
  /** Makes every access token given so far expire, as if time had passed. */
  expireAccessTokens(): void;
  /** Revokes every refresh token: the user must log in again. */
  revokeRefreshTokens(): void;
  /** Requests served, by "METHOD /path". */
  readonly hits: Map<string, number>;
  /** Stops the server. */
  close(): Promise<void>;
}

function randomToken(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const LOGIN_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Example Store: log in</title></head>
<body style="font-family: sans-serif; margin: 2em">
<h1>Example Store</h1>
<form method="post" action="login">
  <p><label>User <input name="user" value="demo"></label></p>
  <p><label>Password <input name="password" type="password" value="demo"></label></p>
  <p><button>Log in</button></p>
</form>
</body></html>`;

/** Starts the backend on 127.0.0.1; port 0 picks a free one. */
export function startBackend(port = 0): Backend {
  const codes = new Set<string>();
  const accessTokens = new Set<string>();
  const refreshTokens = new Set<string>();
  const hits = new Map<string, number>();

  function issueTokens(): Response {
    const access = randomToken("at-");
    const refresh = randomToken("rt-");
    accessTokens.add(access);
    refreshTokens.add(refresh);
    return Response.json({ access_token: access, refresh_token: refresh, expires_in: 3600 });
  }

  async function token(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    const grant = form.get("grant_type");
    if (grant === "authorization_code" && codes.delete(form.get("code") ?? "")) {
      return issueTokens();
    }
    const refresh = form.get("refresh_token") ?? "";
    if (grant === "refresh_token" && refreshTokens.delete(refresh)) return issueTokens();
    return Response.json({ error: "invalid_grant" }, { status: 400 });
  }

  function api(request: Request, path: string[]): Response {
    const bearer = request.headers.get("authorization")?.replace(/^Bearer /, "");
    if (!bearer || !accessTokens.has(bearer)) {
      return Response.json({ error: "invalid_token" }, {
        status: 401,
        headers: { "www-authenticate": 'Bearer error="invalid_token"' },
      });
    }
    const [resource, id, detail] = path;
    if (resource === "me" && !id) return Response.json(USER);
    if (resource === "games" && !id) {
      return Response.json({
        games: CATALOGUE.map((g) => ({ id: g.id, title: g.title, dlcs: g.dlcs })),
      });
    }
    const game = CATALOGUE.find((g) => g.id === id);
    if (resource === "games" && game && detail === "achievements") {
      return Response.json({
        achievements: game.achievements.filter((a) => a.unlockedAt !== null).map((a) => ({
          id: a.id,
          name: a.name,
          unlocked_at: a.unlockedAt,
        })),
      });
    }
    if (resource === "games" && game && detail === "playtime") {
      return Response.json({ minutes: game.minutesPlayed, last_played: game.lastPlayed || null });
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port, onListen() {} },
    async (request) => {
      const url = new URL(request.url);
      const key = `${request.method} ${url.pathname}`;
      hits.set(key, (hits.get(key) ?? 0) + 1);
      const [first, ...rest] = url.pathname.slice(1).split("/");
      if (first === "login" && request.method === "GET") {
        return new Response(LOGIN_PAGE, { headers: { "content-type": "text/html" } });
      }
      if (first === "login" && request.method === "POST") {
        const form = new URLSearchParams(await request.text());
        if (!form.get("user") || !form.get("password")) {
          return new Response(LOGIN_PAGE, {
            status: 400,
            headers: { "content-type": "text/html" },
          });
        }
        const code = randomToken("code-");
        codes.add(code);
        // Galaxy's login browser closes on this URL (the integration's end_uri_regex).
        return new Response(null, { status: 303, headers: { location: `/done?code=${code}` } });
      }
      if (first === "done") return new Response("Logged in: you may close this window.");
      if (first === "oauth" && rest[0] === "token" && request.method === "POST") {
        return await token(request);
      }
      if (first === "api" && request.method === "GET") return api(request, rest);
      return new Response("not found", { status: 404 });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    hits,
    expireAccessTokens: () => accessTokens.clear(),
    revokeRefreshTokens: () => refreshTokens.clear(),
    close: () => server.shutdown(),
  };
}

if (import.meta.main) {
  const backend = startBackend(Number(Deno.args[0] ?? 8787));
  console.log(`example backend on ${backend.url} (login page: ${backend.url}login)`);
}
