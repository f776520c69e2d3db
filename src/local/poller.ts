/**
 * Pushing local game changes from `tick`: compare the state now with the state last seen and
 * tell Galaxy only what changed.
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { type LocalGame, LocalGameState } from "../protocol/mod.ts";

const log = getLogger("galaxy.local");

/**
 * Options of {@linkcode LocalGamesPoller}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "@galaxy-ts/runtime";
 * import { type LocalGamesPollerOptions } from "@galaxy-ts/runtime/local";
 * const options: LocalGamesPollerOptions = {
 *   scan: () => [{ gameId: "1", localGameState: LocalGameState.Installed }],
 *   onChange: (game) => console.log("changed", game),
 * };
 * const games = await options.scan();
 * assert(games.length === 1);
 * ```
 */
export interface LocalGamesPollerOptions {
  /**
   * Reads the state of the platform's games on this machine now (installed, running). Games
   * left out count as neither.
   */
  scan: () => LocalGame[] | Promise<LocalGame[]>;
  /** Tells Galaxy of one change: wire it to the plugin's `updateLocalGameStatus`. */
  onChange: (game: LocalGame) => void | Promise<void>;
}

/**
 * Compares each scan with the last one and reports only the games whose state changed; a game
 * that is no longer found is reported with state `None`. The first scan (by
 * {@linkcode LocalGamesPoller.snapshot} from `getLocalGames`, or the first
 * {@linkcode LocalGamesPoller.poll}) sets the baseline and reports nothing: Galaxy learns the
 * starting state from `import_local_games`. A poll never overlaps another: a call made while
 * one runs gets that one's result.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LocalGameState } from "@galaxy-ts/runtime";
 * import { LocalGamesPoller } from "@galaxy-ts/runtime/local";
 *
 * let running = false;
 * const changes: unknown[] = [];
 * const poller = new LocalGamesPoller({
 *   scan: () => [{
 *     gameId: "1",
 *     localGameState: LocalGameState.Installed | (running ? LocalGameState.Running : 0),
 *   }],
 *   onChange: (game) => void changes.push(game),
 * });
 * await poller.snapshot(); // in getLocalGames
 * running = true;
 * await poller.poll(); // in tick
 * assert(changes.length === 1);
 * ```
 */
export class LocalGamesPoller {
  #options: LocalGamesPollerOptions;
  #last: Map<string, number> | null = null;
  #running: Promise<LocalGame[]> | null = null;

  /** Creates a poller; nothing is scanned until asked. */
  constructor(options: LocalGamesPollerOptions) {
    this.#options = options;
  }

  /** The state last seen, by game id (empty before the first scan). */
  get state(): ReadonlyMap<string, number> {
    return this.#last ?? new Map();
  }

  /**
   * Scans and takes the result as the new baseline without reporting anything; returns the
   * games, for `getLocalGames`.
   */
  async snapshot(): Promise<LocalGame[]> {
    // Waiting for a running poll keeps its changes from being reported against this baseline.
    await this.#running?.catch(() => {});
    const games = await this.#options.scan();
    this.#last = toMap(games);
    return games;
  }

  /**
   * Scans, reports every change through `onChange` (in scan order, then the games that went
   * away), and returns the changes. A failing scan is thrown and the baseline kept.
   */
  poll(): Promise<LocalGame[]> {
    return this.#running ??= this.#poll().finally(() => {
      this.#running = null;
    });
  }

  async #poll(): Promise<LocalGame[]> {
    const games = await this.#options.scan();
    const now = toMap(games);
    const last = this.#last;
    this.#last = now;
    if (last === null) return [];
    const changes: LocalGame[] = [];
    for (const [gameId, state] of now) {
      if (last.get(gameId) !== state) changes.push({ gameId, localGameState: state });
    }
    for (const gameId of last.keys()) {
      if (!now.has(gameId) && last.get(gameId) !== LocalGameState.None) {
        changes.push({ gameId, localGameState: LocalGameState.None });
      }
    }
    for (const change of changes) {
      try {
        await this.#options.onChange(change);
      } catch (error) {
        log.error(`reporting local game ${change.gameId} failed`, error);
      }
    }
    return changes;
  }
}

function toMap(games: readonly LocalGame[]): Map<string, number> {
  return new Map(games.map((g) => [g.gameId, g.localGameState]));
}
