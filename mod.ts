/**
 * Write GOG Galaxy 2.0 integrations in TypeScript.
 *
 * Subclass {@linkcode Plugin}, override what the platform supports, and start it with
 * {@linkcode runPlugin}; Galaxy drives it exactly as it drives a Python integration.
 *
 * @example
 * ```ts
 * import { type Game, LicenseType, Platform, Plugin, runPlugin } from "@galaxy-ts/runtime";
 *
 * class MyPlugin extends Plugin {
 *   constructor() {
 *     super(Platform.Generic, "1.0.0");
 *   }
 *   override getOwnedGames(): Promise<Game[]> {
 *     return Promise.resolve([
 *       { gameId: "1", gameTitle: "One", licenseInfo: { licenseType: LicenseType.FreeToPlay } },
 *     ]);
 *   }
 * }
 * if (import.meta.main) runPlugin(MyPlugin, Deno.args);
 * ```
 *
 * @module
 */
export {
  type AuthenticationResult,
  type BrowserCookie,
  type Credentials,
  ExitCode,
  Plugin,
  type PluginClass,
  type RunOptions,
  runPlugin,
  runPluginToEnd,
  serve,
  type ServeOptions,
  type TaskBody,
} from "./src/plugin/mod.ts";
export {
  AccessDenied,
  type Achievement,
  ApplicationError,
  type Authentication,
  AuthenticationRequired,
  BackendError,
  BackendNotAvailable,
  BackendTimeout,
  Banned,
  type Cookie,
  type Dlc,
  FailedParsingManifest,
  Feature,
  GalaxyError,
  type Game,
  type GameLibrarySettings,
  type GameTime,
  ImportInProgress,
  IncoherentLastMessage,
  InvalidCredentials,
  type LicenseInfo,
  LicenseType,
  type LocalGame,
  LocalGameState,
  MessageNotFound,
  NetworkError,
  type NextStep,
  type NextStepAuthParams,
  OS_COMPATIBILITY_RANGE,
  OSCompatibility,
  Platform,
  PresenceState,
  ProtocolError,
  type Subscription,
  SubscriptionDiscovery,
  type SubscriptionGame,
  TemporaryBlocked,
  TooManyMessagesSent,
  TooManyRequests,
  UnknownBackendResponse,
  UnknownError,
  type UserInfo,
  type UserPresence,
} from "./src/protocol/mod.ts";
export {
  Aborted,
  type ByteReader,
  type ErrorClass,
  type ErrorData,
  InvalidParams,
  InvalidRequest,
  JsonRpcError,
  MethodNotFound,
  ParseError,
  Timeout,
  type Transport,
  type WireError,
} from "./src/wire/mod.ts";
export {
  addSecrets,
  type AddSecretsOptions,
  getLogger,
  Logger,
  LogLevel,
  scrubSecrets,
  setLogLevel,
} from "./src/log/mod.ts";
export { type AssetOptions, assetUrl, readAsset, readAssetText } from "./src/assets/mod.ts";
