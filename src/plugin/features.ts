/**
 * Which methods make which feature: a feature is declared when its plugin class overrides
 * every method listed for it.
 *
 * @module
 */
import { Feature } from "../protocol/mod.ts";
import { IMPORTS } from "./importer.ts";

/** Features and the methods that declare them, in the order Galaxy is told of them. */
export const FEATURE_METHODS: readonly (readonly [Feature, readonly string[]])[] = [
  [Feature.ImportOwnedGames, ["getOwnedGames"]],
  [Feature.ImportInstalledGames, ["getLocalGames"]],
  [Feature.LaunchGame, ["launchGame"]],
  [Feature.InstallGame, ["installGame"]],
  [Feature.UninstallGame, ["uninstallGame"]],
  [Feature.ImportFriends, ["getFriends"]],
  [Feature.ShutdownPlatformClient, ["shutdownPlatformClient"]],
  [Feature.LaunchPlatformClient, ["launchPlatformClient"]],
  [Feature.ImportSubscriptions, ["getSubscriptions"]],
  ...IMPORTS.map((kind) => [kind.feature, [kind.get]] as const),
];
