// What the fuzz knows of the methods Galaxy calls: read from the runtime's one method table
// (src/protocol/methods.ts), so that every method, present and future, is fuzzed without a
// second list. What the table does not hold (the error codes of protocol.md §8, the pushes
// of §7) is written here from protocol.md.
import * as v from "valibot";
import {
  type BatchImportMethod,
  GALAXY_METHODS,
  type GalaxyMethod,
  type MethodInfo,
} from "../../src/protocol/mod.ts";

const ENTRIES = Object.entries(GALAXY_METHODS) as [GalaxyMethod, MethodInfo][];

/** Requests (answered): every entry of the table that is not a notification. */
export const REQUESTS: Readonly<Record<string, MethodInfo>> = Object.fromEntries(
  ENTRIES.filter(([, e]) => e.kind !== "action" && e.kind !== "ignored"),
);

/** Notifications Galaxy sends (never answered). */
export const NOTIFICATIONS: Readonly<Record<string, MethodInfo>> = Object.fromEntries(
  ENTRIES.filter(([, e]) => e.kind === "action" || e.kind === "ignored"),
);

/** Every `start_*_import`, by wire name. */
export const IMPORTS: Readonly<Record<string, BatchImportMethod>> = Object.fromEntries(
  ENTRIES.filter(([, e]) => e.kind === "batch") as [string, BatchImportMethod][],
);

/** The `*_import_finished` notification of every `start_*_import` (§6). */
export const IMPORT_FINISHED: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(IMPORTS).map(([m, e]) => [m, e.finished]),
);

/** The import a notification belongs to, by notification name. */
export const IMPORT_OF_NOTIFICATION: ReadonlyMap<string, string> = new Map(
  Object.entries(IMPORTS).flatMap(([m, e]) =>
    [e.success, e.failure, e.finished, e.partial].filter((n) => n !== undefined).map((
      n,
    ) => [n!, m])
  ),
);

/** Every notification an integration may send: the imports' (§6) and the pushes (§7). */
export const OUTGOING_NOTIFICATIONS: ReadonlySet<string> = new Set([
  ...IMPORT_OF_NOTIFICATION.keys(),
  "store_credentials",
  "owned_game_added",
  "owned_game_removed",
  "owned_game_updated",
  "achievement_unlocked",
  "local_game_status_changed",
  "friend_added",
  "friend_removed",
  "friend_updated",
  "game_time_updated",
  "user_presence_updated",
  "authentication_lost",
  "push_cache",
]);

/** The error codes of protocol.md §8. */
export const PROTOCOL_CODES: ReadonlySet<number> = new Set([
  -32700,
  -32600,
  -32601,
  -32602,
  -32000,
  -32001,
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  100,
  101,
  103,
  104,
  105,
  106,
  200,
  300,
  400,
  500,
  600,
]);

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

/** Whether `params` fit the table's schema of `method`: nothing missing, extra or mistyped. */
export function paramsFit(method: string, params: Record<string, unknown>): boolean {
  const entry = REQUESTS[method] ?? NOTIFICATIONS[method];
  return v.is(entry.params, params);
}
