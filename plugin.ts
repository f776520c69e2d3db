// The example integration: a store with a web login, owned games, achievements and play
// time, all fetched with the ./http client from the store's web API. Its stand-in store is
// example/backend.ts (`deno run -A example/backend.ts` serves it on http://127.0.0.1:8787/).
//
// The backend's URL comes from the environment variable EXAMPLE_BACKEND_URL, by default
// http://127.0.0.1:8787/ (Galaxy passes its environment on to the integration, so set it
// before starting Galaxy to point the example elsewhere).
//
// Run by Galaxy (or a fake one): deno run -A plugin.ts <token> <port>
import * as v from "npm:valibot@^1.2.0";
import {
  type Achievement,
  type AuthenticationResult,
  type Credentials,
  type Game,
  type GameTime,
  InvalidCredentials,
  LicenseType,
  Platform,
  Plugin,
  runPlugin,
} from "./mod.ts";
import { HttpClient } from "./src/http/mod.ts";

/** Where the example finds its backend when EXAMPLE_BACKEND_URL is not set. */
export const DEFAULT_BACKEND_URL = "http://127.0.0.1:8787/";

// The store's answers, described once; the client checks every answer against them.
const Tokens = v.object({ access_token: v.string(), refresh_token: v.string() });
const Me = v.object({ id: v.string(), name: v.string() });
const Games = v.object({
  games: v.array(v.object({
    id: v.string(),
    title: v.string(),
    dlcs: v.array(v.object({ id: v.string(), title: v.string() })),
  })),
});
const Achievements = v.object({
  achievements: v.array(v.object({ id: v.string(), name: v.string(), unlocked_at: v.number() })),
});
const Playtime = v.object({ minutes: v.number(), last_played: v.nullable(v.number()) });

function backendUrl(): string {
  let url: string | undefined;
  try {
    url = Deno.env.get("EXAMPLE_BACKEND_URL");
  } catch {
    // No env permission: the default.
  }
  url ||= DEFAULT_BACKEND_URL;
  return url.endsWith("/") ? url : url + "/";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The example integration. */
export class ExamplePlugin extends Plugin {
  readonly #base = backendUrl();
  #accessToken: string | null = null;
  #refreshToken: string | null = null;
  readonly #http = new HttpClient({
    baseUrl: this.#base,
    headers: { "user-agent": "galaxy-ts-example/1.0.0" },
    authorize: (headers) => {
      if (this.#accessToken) headers.set("authorization", `Bearer ${this.#accessToken}`);
    },
    // An expired access token is renewed once for all the requests that met it.
    refreshCredentials: () => this.#refresh(),
    // A refresh token that no longer works: Galaxy asks the user to log in again.
    onAuthenticationLost: () => this.lostAuthentication(),
  });

  constructor() {
    super(Platform.Generic, "1.0.0");
  }

  override async authenticate(stored?: Credentials): Promise<AuthenticationResult> {
    if (typeof stored?.refresh_token !== "string") {
      return {
        nextStep: "web_session",
        authParams: {
          windowTitle: "Log in to Example Store",
          windowWidth: 480,
          windowHeight: 640,
          startUri: `${this.#base}login`,
          endUriRegex: `^${escapeRegExp(this.#base)}done\\?code=.*`,
        },
      };
    }
    this.#refreshToken = stored.refresh_token;
    try {
      await this.#refresh();
    } catch {
      throw new InvalidCredentials("the stored login has expired; please log in again");
    }
    return await this.#me();
  }

  override async passLoginCredentials(
    _step: string,
    credentials: Record<string, unknown>,
  ): Promise<AuthenticationResult> {
    const code = new URL(String(credentials.end_uri)).searchParams.get("code");
    if (!code) throw new InvalidCredentials("the login page ended without a code");
    await this.#useTokens(
      await this.#http.request("POST", "oauth/token", {
        form: { grant_type: "authorization_code", code },
        auth: false,
      }).then((r) => r.json(Tokens)),
    );
    return await this.#me();
  }

  override async getOwnedGames(signal?: AbortSignal): Promise<Game[]> {
    const { games } = await this.#http.getJson("api/games", Games, { signal });
    return games.map((g) => ({
      gameId: g.id,
      gameTitle: g.title,
      licenseInfo: { licenseType: LicenseType.SinglePurchase },
      dlcs: g.dlcs.map((d) => ({
        dlcId: d.id,
        dlcTitle: d.title,
        licenseInfo: { licenseType: LicenseType.SinglePurchase },
      })),
    }));
  }

  override async getUnlockedAchievements(
    gameId: string,
    _context: unknown,
    signal?: AbortSignal,
  ): Promise<Achievement[]> {
    const path = `api/games/${encodeURIComponent(gameId)}/achievements`;
    const { achievements } = await this.#http.getJson(path, Achievements, { signal });
    return achievements.map((a) => ({
      achievementId: a.id,
      achievementName: a.name,
      unlockTime: a.unlocked_at,
    }));
  }

  override async getGameTime(
    gameId: string,
    _context: unknown,
    signal?: AbortSignal,
  ): Promise<GameTime> {
    const path = `api/games/${encodeURIComponent(gameId)}/playtime`;
    const time = await this.#http.getJson(path, Playtime, { signal });
    return time.last_played === null
      ? { gameId, timePlayed: time.minutes }
      : { gameId, timePlayed: time.minutes, lastPlayedTime: time.last_played };
  }

  override shutdown(): void {
    this.#http.close();
  }

  async #me(): Promise<AuthenticationResult> {
    const me = await this.#http.getJson("api/me", Me);
    return { userId: me.id, userName: me.name };
  }

  /** Trades the refresh token for new tokens; the store rotates refresh tokens, so store it. */
  async #refresh(): Promise<void> {
    if (!this.#refreshToken) throw new InvalidCredentials("not logged in");
    const tokens = await this.#http.request("POST", "oauth/token", {
      form: { grant_type: "refresh_token", refresh_token: this.#refreshToken },
      auth: false,
    }).then((r) => r.json(Tokens));
    await this.#useTokens(tokens);
  }

  async #useTokens(tokens: v.InferOutput<typeof Tokens>): Promise<void> {
    this.#accessToken = tokens.access_token;
    this.#refreshToken = tokens.refresh_token;
    await this.storeCredentials({ refresh_token: tokens.refresh_token });
  }
}

if (import.meta.main) runPlugin(ExamplePlugin, Deno.args);
