// TemplateDisplayName: a GOG Galaxy 2.0 integration written with galaxy-ts.
//
// Galaxy starts this module (through the built launcher) with `<token> <port>`. Run it
// without Galaxy: `deno task dev` (interactive) or `deno task sim` (scripted).
import {
  type Authentication,
  AuthenticationRequired,
  type AuthenticationResult,
  type Credentials,
  type Game,
  InvalidCredentials,
  LicenseType,
  type NextStep,
  Platform,
  Plugin,
  runPlugin,
} from "../../../../mod.ts";

/**
 * Galaxy's login window: it opens `startUri` and closes once the browser reaches an address
 * matching `endUriRegex`, which then comes back to `passLoginCredentials`. Point both at
 * your platform's login page.
 */
export const LOGIN: NextStep = {
  nextStep: "web_session",
  authParams: {
    windowTitle: "Log in to TemplateDisplayName",
    windowWidth: 500,
    windowHeight: 700,
    startUri: "https://example.com/login",
    endUriRegex: "^https://example\\.com/done",
  },
};

/** The integration: Galaxy is told of one feature per method overridden here. */
export class TemplatePlugin extends Plugin {
  #user: Authentication | null = null;

  constructor() {
    super(Platform.Generic, "0.1.0");
  }

  /** Logs in with what was stored last time, or asks Galaxy to show the login window. */
  override async authenticate(stored?: Credentials): Promise<AuthenticationResult> {
    if (typeof stored?.token !== "string") return LOGIN;
    return this.#user = await this.#whoIs(stored.token);
  }

  /** The login window reached the end address: keep its token for next time. */
  override async passLoginCredentials(
    _step: string,
    credentials: Record<string, unknown>,
  ): Promise<AuthenticationResult> {
    const token = new URL(String(credentials.end_uri)).searchParams.get("token");
    if (!token) throw new InvalidCredentials();
    await this.storeCredentials({ token });
    return this.#user = await this.#whoIs(token);
  }

  /** The games the user owns on the platform. */
  override getOwnedGames(): Promise<Game[]> {
    if (!this.#user) throw new AuthenticationRequired();
    // Replace with a request to your platform (see `@galaxy-ts/runtime/http`).
    const licenseInfo = { licenseType: LicenseType.SinglePurchase };
    return Promise.resolve([
      { gameId: "1", gameTitle: "First Game", licenseInfo },
      { gameId: "2", gameTitle: "Second Game", licenseInfo },
    ]);
  }

  /** Replace with a request asking the platform whose token this is. */
  #whoIs(token: string): Promise<Authentication> {
    return Promise.resolve({ userId: `user-${token.length}`, userName: "Demo User" });
  }
}

if (import.meta.main) runPlugin(TemplatePlugin, Deno.args);
