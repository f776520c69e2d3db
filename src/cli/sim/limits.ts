/**
 * Galaxy's time limits, as the real client applies them (protocol.md §10), each with the
 * `galaxy sim` option that changes it: tests shrink them to run in seconds.
 *
 * @module
 */

/** One of Galaxy's limits. */
export interface Limit {
  /** The `galaxy sim` option that sets it, in seconds. */
  readonly option: string;
  /** Galaxy's value, in seconds. */
  readonly seconds: number;
  /** What it is, for `--help`. */
  readonly what: string;
}

/**
 * Every limit the simulator plays, by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GALAXY_LIMITS } from "./limits.ts";
 * assert(GALAXY_LIMITS.notResponding.seconds === 15);
 * ```
 */
export const GALAXY_LIMITS = {
  pingInterval: {
    option: "ping-interval",
    seconds: 5,
    what: "how often Galaxy pings, 0 for never",
  },
  notResponding: {
    option: "ping-timeout",
    seconds: 15,
    what: "how long a ping may wait before Galaxy calls the integration not responding",
  },
  shutdownGrace: {
    option: "shutdown-grace",
    seconds: 1,
    what: "how long after shutdown (or a closed connection) Galaxy kills the process",
  },
  notReady: {
    option: "not-ready",
    seconds: 0.01,
    what: "how long after initialize_cache Galaxy drops pushes",
  },
  ownedGames: {
    option: "owned-timeout",
    seconds: 180,
    what: "how long Galaxy waits for owned games before it gives up",
  },
  localSize: {
    option: "local-size-timeout",
    seconds: 420,
    what: "how long a local-size import may run before Galaxy calls the integration crashed",
  },
} as const satisfies Record<string, Limit>;

/** The limits in milliseconds, by name. */
export type Limits = { readonly [K in keyof typeof GALAXY_LIMITS]: number };

/**
 * Galaxy's limits in milliseconds, each replaced by `given(option)` when that is defined.
 *
 * @param given The seconds given for an option, or undefined to keep Galaxy's value.
 * @returns Every limit, in milliseconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { limits } from "./limits.ts";
 * const ms = limits((option) => option === "ping-timeout" ? 0.5 : undefined);
 * assert(ms.notResponding === 500 && ms.shutdownGrace === 1000);
 * ```
 */
export function limits(given: (option: string) => number | undefined = () => undefined): Limits {
  const out: Record<string, number> = {};
  for (const [name, limit] of Object.entries(GALAXY_LIMITS)) {
    out[name] = (given(limit.option) ?? limit.seconds) * 1000;
  }
  return out as Limits;
}

/**
 * Requests Galaxy gives up on after one of its limits, and what it does then.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GALAXY_GIVES_UP } from "./limits.ts";
 * assert(GALAXY_GIVES_UP.import_owned_games.limit === "ownedGames");
 * ```
 */
export const GALAXY_GIVES_UP: Readonly<Record<string, { limit: keyof Limits; then: string }>> = {
  import_owned_games: {
    limit: "ownedGames",
    then: "Galaxy gives up on it (reason 'Timeout') and ignores the late answer",
  },
};
