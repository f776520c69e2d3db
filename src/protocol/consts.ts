/**
 * Galaxy's constants: platforms, features, and the enums and flags records use. Enums are
 * `as const` objects whose values are what travels on the wire.
 *
 * @module
 */

/**
 * Every platform id Galaxy knows, as the value to put in `manifest.json` and to pass to
 * the Plugin constructor.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Platform } from "@galaxy-ts/runtime";
 * assert(Platform.Steam === "steam");
 * ```
 */
export const Platform = {
  Unknown: "unknown",
  Gog: "gog",
  Steam: "steam",
  Psn: "psn",
  XboxOne: "xboxone",
  Generic: "generic",
  Origin: "origin",
  Uplay: "uplay",
  Battlenet: "battlenet",
  Epic: "epic",
  Bethesda: "bethesda",
  ParadoxPlaza: "paradox",
  HumbleBundle: "humble",
  Kartridge: "kartridge",
  ItchIo: "itch",
  NintendoSwitch: "nswitch",
  NintendoWiiU: "nwiiu",
  NintendoWii: "nwii",
  NintendoGameCube: "ncube",
  RiotGames: "riot",
  Wargaming: "wargaming",
  NintendoGameBoy: "ngameboy",
  Atari: "atari",
  Amiga: "amiga",
  SuperNintendoEntertainmentSystem: "snes",
  Beamdog: "beamdog",
  Direct2Drive: "d2d",
  Discord: "discord",
  DotEmu: "dotemu",
  GameHouse: "gamehouse",
  GreenManGaming: "gmg",
  WePlay: "weplay",
  ZxSpectrum: "zx",
  ColecoVision: "vision",
  NintendoEntertainmentSystem: "nes",
  SegaMasterSystem: "sms",
  Commodore64: "c64",
  PcEngine: "pce",
  SegaGenesis: "segag",
  NeoGeo: "neo",
  Sega32X: "sega32",
  SegaCd: "segacd",
  ThreeDo: "3do",
  SegaSaturn: "saturn",
  PlayStation: "psx",
  PlayStation2: "ps2",
  Nintendo64: "n64",
  AtariJaguar: "jaguar",
  SegaDreamcast: "dc",
  Xbox: "xboxog",
  Amazon: "amazon",
  GamersGate: "gg",
  Newegg: "egg",
  BestBuy: "bb",
  GameUk: "gameuk",
  Fanatical: "fanatical",
  PlayAsia: "playasia",
  Stadia: "stadia",
  Arc: "arc",
  ElderScrollsOnline: "eso",
  Glyph: "glyph",
  AionLegionsOfWar: "aionl",
  Aion: "aion",
  BladeAndSoul: "blade",
  GuildWars: "gw",
  GuildWars2: "gw2",
  Lineage2: "lin2",
  FinalFantasy11: "ffxi",
  FinalFantasy14: "ffxiv",
  TotalWar: "totalwar",
  WindowsStore: "winstore",
  EliteDangerous: "elites",
  StarCitizen: "star",
  PlayStationPortable: "psp",
  PlayStationVita: "psvita",
  NintendoDs: "nds",
  Nintendo3Ds: "3ds",
  PathOfExile: "pathofexile",
  Twitch: "twitch",
  Minecraft: "minecraft",
  GameSessions: "gamesessions",
  Nuuvem: "nuuvem",
  FXStore: "fxstore",
  IndieGala: "indiegala",
  Playfire: "playfire",
  Oculus: "oculus",
  Test: "test",
  Rockstar: "rockstar",
} as const;

/**
 * One of the values of {@linkcode Platform}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Platform } from "@galaxy-ts/runtime";
 * const platform: Platform = Platform.Epic;
 * assert(platform === "epic");
 * ```
 */
export type Platform = typeof Platform[keyof typeof Platform];

/**
 * What an integration can do; Galaxy offers only the features an integration declares,
 * and ours are found from the methods a plugin class overrides.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Feature } from "@galaxy-ts/runtime";
 * assert(Feature.ImportOwnedGames === "ImportOwnedGames");
 * ```
 */
export const Feature = {
  Unknown: "Unknown",
  ImportInstalledGames: "ImportInstalledGames",
  ImportOwnedGames: "ImportOwnedGames",
  LaunchGame: "LaunchGame",
  InstallGame: "InstallGame",
  UninstallGame: "UninstallGame",
  ImportAchievements: "ImportAchievements",
  ImportGameTime: "ImportGameTime",
  Chat: "Chat",
  ImportUsers: "ImportUsers",
  VerifyGame: "VerifyGame",
  ImportFriends: "ImportFriends",
  ShutdownPlatformClient: "ShutdownPlatformClient",
  LaunchPlatformClient: "LaunchPlatformClient",
  ImportGameLibrarySettings: "ImportGameLibrarySettings",
  ImportOSCompatibility: "ImportOSCompatibility",
  ImportUserPresence: "ImportUserPresence",
  ImportLocalSize: "ImportLocalSize",
  ImportSubscriptions: "ImportSubscriptions",
  ImportSubscriptionGames: "ImportSubscriptionGames",
} as const;

/**
 * One of the values of {@linkcode Feature}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Feature } from "@galaxy-ts/runtime";
 * const features: Feature[] = [Feature.ImportOwnedGames];
 * assert(features.length === 1);
 * ```
 */
export type Feature = typeof Feature[keyof typeof Feature];

/**
 * How the user holds a game.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LicenseType } from "@galaxy-ts/runtime";
 * assert(LicenseType.FreeToPlay === "FreeToPlay");
 * ```
 */
export const LicenseType = {
  Unknown: "Unknown",
  SinglePurchase: "SinglePurchase",
  FreeToPlay: "FreeToPlay",
  OtherUserLicense: "OtherUserLicense",
} as const;

/**
 * One of the values of {@linkcode LicenseType}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LicenseType } from "@galaxy-ts/runtime";
 * const license: LicenseType = LicenseType.SinglePurchase;
 * assert(license === "SinglePurchase");
 * ```
 */
export type LicenseType = typeof LicenseType[keyof typeof LicenseType];

/**
 * Flags of a local game's state; combine with `|` (installed and running is 3).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "@galaxy-ts/runtime";
 * assert((LocalGameState.Installed | LocalGameState.Running) === 3);
 * ```
 */
export const LocalGameState = {
  None: 0,
  Installed: 1,
  Running: 2,
} as const;

/**
 * A combination of {@linkcode LocalGameState} flags, 0 to 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "@galaxy-ts/runtime";
 * const state: LocalGameState = LocalGameState.Installed | LocalGameState.Running;
 * assert(state === 3);
 * ```
 */
export type LocalGameState = number;

/**
 * Flags of the systems a game runs on; combine with `|`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSCompatibility } from "@galaxy-ts/runtime";
 * assert((OSCompatibility.Windows | OSCompatibility.Linux) === 5);
 * ```
 */
export const OSCompatibility = {
  Windows: 1,
  MacOS: 2,
  Linux: 4,
} as const;

/**
 * A combination of {@linkcode OSCompatibility} flags, 1 to 7.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OSCompatibility } from "@galaxy-ts/runtime";
 * const os: OSCompatibility = OSCompatibility.Windows | OSCompatibility.MacOS;
 * assert(os === 3);
 * ```
 */
export type OSCompatibility = number;

/**
 * The values an OS-compatibility answer may take: a combination of at least one
 * {@linkcode OSCompatibility} flag (0 would say "runs on nothing"; unknown is null). The
 * runtime refuses other values and the testing kit reports them, both from this range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OS_COMPATIBILITY_RANGE, OSCompatibility } from "@galaxy-ts/runtime";
 * const all = OSCompatibility.Windows | OSCompatibility.MacOS | OSCompatibility.Linux;
 * assert(OS_COMPATIBILITY_RANGE.min === 1 && OS_COMPATIBILITY_RANGE.max === all);
 * ```
 */
export const OS_COMPATIBILITY_RANGE: { readonly min: 1; readonly max: 7 } = { min: 1, max: 7 };

/**
 * The values a local-size answer may take, in bytes (unknown is null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LOCAL_SIZE_RANGE } from "./consts.ts";
 * assert(LOCAL_SIZE_RANGE.min === 0);
 * ```
 */
export const LOCAL_SIZE_RANGE: { readonly min: 0; readonly max: number } = {
  min: 0,
  max: Number.MAX_SAFE_INTEGER,
};

/**
 * A user's online state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PresenceState } from "@galaxy-ts/runtime";
 * assert(PresenceState.Online === "online");
 * ```
 */
export const PresenceState = {
  Unknown: "unknown",
  Online: "online",
  Offline: "offline",
  Away: "away",
} as const;

/**
 * One of the values of {@linkcode PresenceState}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PresenceState } from "@galaxy-ts/runtime";
 * const state: PresenceState = PresenceState.Away;
 * assert(state === "away");
 * ```
 */
export type PresenceState = typeof PresenceState[keyof typeof PresenceState];

/**
 * Flags of how a subscription's ownership is found: by the integration (`Automatic`), by
 * the user switching it on (`UserEnabled`), or both (3, the default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SubscriptionDiscovery } from "@galaxy-ts/runtime";
 * assert((SubscriptionDiscovery.Automatic | SubscriptionDiscovery.UserEnabled) === 3);
 * ```
 */
export const SubscriptionDiscovery = {
  Automatic: 1,
  UserEnabled: 2,
} as const;

/**
 * A combination of {@linkcode SubscriptionDiscovery} flags, 1 to 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SubscriptionDiscovery } from "@galaxy-ts/runtime";
 * const how: SubscriptionDiscovery = SubscriptionDiscovery.Automatic;
 * assert(how === 1);
 * ```
 */
export type SubscriptionDiscovery = number;
