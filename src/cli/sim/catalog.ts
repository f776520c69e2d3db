/**
 * What the simulator can ask of an integration, by the short names its command line and
 * scripts take: the imports and actions (from the method table) and the ways a session
 * ends.
 *
 * @module
 */
import {
  type Feature,
  type GalaxyMethod,
  type ListImportMethod,
  methodsOf,
} from "../../protocol/mod.ts";
import { IMPORT_SPECS, type ImportSpec, toCamelCase } from "../../testing/mod.ts";

/** How a session ends, as Galaxy ends one (§10), by the name `--end` takes. */
export const ENDINGS = {
  shutdown: "Galaxy sends shutdown, and kills the process if it has not exited soon after",
  close: "Galaxy closes the socket without a shutdown",
  reset: "the connection is reset (Galaxy crashed or was killed)",
} as const;

/** One of the ways a session ends. */
export type Ending = keyof typeof ENDINGS;

/** A whole-list import, as the simulator runs it. */
export type ListImport = ListImportMethod & {
  /** Its wire name. */
  readonly method: GalaxyMethod;
  /** The key of the list in the camelCase result. */
  readonly key: string;
};

/**
 * The whole-list imports, from the method table, by the short name `--import` takes
 * (import_owned_games → "owned", import_friends → "friends").
 */
export const LIST_IMPORTS: Readonly<Record<string, ListImport>> = Object.fromEntries(
  methodsOf("list").map((entry) => [
    entry.method.replace(/^import_/, "").replace(/_games$/, ""),
    { ...entry, key: toCamelCase(entry.resultKey) },
  ]),
);

/** The batched imports, by the short name `--import` takes ("game-times", …). */
export const BATCHED_IMPORTS: ReadonlyMap<string, ImportSpec> = new Map(
  [...IMPORT_SPECS.values()].map((spec) => [spec.name.replaceAll(" ", "-"), spec]),
);

/** Every name `--import` accepts. */
export const IMPORT_NAMES: readonly string[] = [
  ...Object.keys(LIST_IMPORTS),
  ...BATCHED_IMPORTS.keys(),
];

/** The actions Galaxy sends as notifications, from the method table, with whether they take a game id. */
export const ACTIONS: Readonly<Record<string, { feature: Feature; gameId: boolean }>> = Object
  .fromEntries(
    methodsOf("action").map((entry) => [
      entry.method,
      { feature: entry.feature, gameId: entry.args.includes("game_id") },
    ]),
  );
