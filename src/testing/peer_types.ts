/**
 * What Galaxy's end of a session deals in: the lines, answers, notifications and import
 * runs it sees, and the violations it finds. The bookkeeping is in `galaxy_peer.ts` and
 * `import_tracker.ts`.
 *
 * @module
 */
import { seconds, type WireError } from "../wire/mod.ts";
import type { ImportSpec } from "./galaxy_protocol.ts";

/**
 * Who wrote a line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Side } from "@galaxy-ts/runtime/testing";
 * const sides: Side[] = ["galaxy", "integration"];
 * assert(sides.includes("integration"));
 * ```
 */
export type Side = "galaxy" | "integration";

/**
 * A notification the integration sent.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Notification } from "@galaxy-ts/runtime/testing";
 * const notification: Notification = {
 *   method: "owned_game_removed",
 *   params: { game_id: "1" },
 *   data: { gameId: "1" },
 * };
 * assert(notification.data?.gameId === "1");
 * ```
 */
export interface Notification {
  /** Its method, e.g. `owned_game_added`. */
  readonly method: string;
  /** Its params as sent (snake_case wire form). */
  readonly params: unknown;
  /** The params checked and converted to camelCase; absent when they were malformed. */
  readonly data?: Record<string, unknown>;
}

/**
 * The answer to one of Galaxy's requests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Answer } from "@galaxy-ts/runtime/testing";
 * const answer: Answer = { method: "ping", result: null, value: null };
 * assert(answer.error === undefined && answer.value === null);
 * ```
 */
export interface Answer {
  /** The method that was asked. */
  readonly method: string;
  /** The `result` as sent, when the answer is not an error. */
  readonly result?: unknown;
  /** The `error` as sent, when it is one. */
  readonly error?: WireError;
  /** The result checked and converted to camelCase; absent for errors and malformed results. */
  readonly value?: unknown;
  /** What is wrong with the result, if anything. */
  readonly problems?: string[];
  /** Length of the answer's line, in characters. */
  readonly size?: number;
}

/**
 * Kinds of protocol violation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ViolationKind } from "@galaxy-ts/runtime/testing";
 * assert(ViolationKind.Timeout === "timeout");
 * ```
 */
export const ViolationKind = {
  /** A line that is not a JSON-RPC 2.0 message. */
  Malformed: "malformed-message",
  /** A notification Galaxy does not know. */
  UnknownNotification: "unknown-notification",
  /** A known notification whose params are wrong (a malformed record). */
  InvalidNotification: "invalid-notification",
  /** A result that does not have the shape its method requires. */
  InvalidAnswer: "invalid-answer",
  /** An answer whose id matches no request of Galaxy's. */
  UnknownId: "unknown-id",
  /** A request Galaxy does not serve. */
  UnknownRequest: "unknown-request",
  /** An import notification that fits no running import. */
  StrayImportNotification: "stray-import-notification",
  /** A request not answered in time (ping: the event loop is blocked). */
  Timeout: "timeout",
  /** An import that never sent its `*_import_finished`. */
  MissingFinished: "missing-import-finished",
  /** An import that finished without a notification for every id. */
  IncompleteImport: "incomplete-import",
  /** A second outcome for one id of an import (a success or failure after another). */
  RepeatedId: "repeated-id",
  /** A ping left unanswered for Galaxy's limit: Galaxy stops and kills the integration. */
  NotResponding: "not-responding",
  /** A push sent before Galaxy was ready for it, which Galaxy drops. */
  LostPush: "lost-push",
  /** An integration still running when Galaxy kills it after `shutdown`. */
  SlowShutdown: "slow-shutdown",
} as const;

/**
 * One of the values of {@linkcode ViolationKind}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ViolationKind } from "@galaxy-ts/runtime/testing";
 * const kind: ViolationKind = ViolationKind.UnknownNotification;
 * assert(kind === "unknown-notification");
 * ```
 */
export type ViolationKind = typeof ViolationKind[keyof typeof ViolationKind];

/**
 * Something the integration did that Galaxy would not accept.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Violation, ViolationKind } from "@galaxy-ts/runtime/testing";
 * const violation: Violation = {
 *   kind: ViolationKind.UnknownNotification,
 *   message: "game_added: Galaxy knows no such notification",
 * };
 * assert(violation.kind === "unknown-notification");
 * ```
 */
export interface Violation {
  /** What kind of problem it is. */
  readonly kind: ViolationKind;
  /** One line saying what happened and what Galaxy expects. */
  readonly message: string;
}

/**
 * What a batched import produced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type ImportRun } from "@galaxy-ts/runtime/testing";
 * import { IMPORT_SPECS } from "@galaxy-ts/runtime/testing";
 * const run: ImportRun = {
 *   spec: IMPORT_SPECS.get("start_game_times_import")!,
 *   ids: ["1"],
 *   values: { "1": { gameId: "1", timePlayed: 42 } },
 *   errors: {},
 *   notifications: [],
 *   finished: true,
 * };
 * assert(run.finished && Object.keys(run.values).length === run.ids.length);
 * ```
 */
export interface ImportRun {
  /** The import's description. */
  readonly spec: ImportSpec;
  /** The ids asked for. */
  readonly ids: readonly string[];
  /** The error answer to the start request, if it was refused. */
  error?: WireError;
  /** Each id's checked camelCase value (pages concatenated for subscription games). */
  readonly values: Record<string, unknown>;
  /** Each failed id's error, as sent. */
  readonly errors: Record<string, WireError>;
  /** Every notification of this import, in arrival order. */
  readonly notifications: Notification[];
  /** Whether `*_import_finished` arrived. */
  finished: boolean;
}

/**
 * Options of a {@linkcode GalaxyPeer}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type GalaxyPeerOptions, type Violation } from "@galaxy-ts/runtime/testing";
 * const violations: Violation[] = [];
 * const options: GalaxyPeerOptions = { onViolation: (violation) => void violations.push(violation) };
 * options.onViolation?.({ kind: "timeout", message: "ping not answered in 10 s" });
 * assert(violations.length === 1);
 * ```
 */
export interface GalaxyPeerOptions {
  /** Told of every protocol violation as it is found. */
  onViolation?: (violation: Violation) => void;
  /** Told of every line either side wrote, parsed when it was JSON (for transcripts). */
  onLine?: (from: Side, line: string, message: unknown) => void;
  /** Told of every notification the integration sent. */
  onNotification?: (notification: Notification) => void;
  /**
   * Answers the integration's requests (`refresh_credentials`): return the result, or throw
   * an error whose `code` and `message` become the error answer.
   */
  onRequest?: (method: string, params: unknown) => unknown;
}

/**
 * A request of Galaxy's still waiting for its answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Outstanding } from "@galaxy-ts/runtime/testing";
 * const waiting: Outstanding = { id: "4", method: "import_owned_games", ms: 15_000 };
 * assert(waiting.ms >= 15_000);
 * ```
 */
export interface Outstanding {
  /** Its id, as sent. */
  readonly id: string;
  /** Its method. */
  readonly method: string;
  /** How long it has waited, in milliseconds. */
  readonly ms: number;
}

/**
 * Galaxy's waiting requests as one line: method, id and how long each has waited.
 *
 * @param list What {@linkcode GalaxyPeer.outstanding} returned.
 * @returns E.g. `import_owned_games (id "4") for 15.2 s, ping (id "7") for 15.0 s`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeOutstanding } from "@galaxy-ts/runtime/testing";
 * const text = describeOutstanding([{ id: "4", method: "import_owned_games", ms: 15_240 }]);
 * assert(text === 'import_owned_games (id "4") for 15.2 s');
 * ```
 */
export function describeOutstanding(list: readonly Outstanding[]): string {
  return list.map((o) => `${o.method} (id "${o.id}") for ${seconds(o.ms)}`)
    .join(", ");
}

/**
 * Why a request of Galaxy's did not get its answer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PeerError } from "@galaxy-ts/runtime/testing";
 * const error = new PeerError("closed", "the integration closed the connection");
 * assert(error.name === "PeerError" && error.reason === "closed");
 * ```
 */
export class PeerError extends Error {
  /** "timeout" or "closed". */
  readonly reason: "timeout" | "closed";

  /** Creates the error. */
  constructor(reason: "timeout" | "closed", message: string) {
    super(message);
    this.name = "PeerError";
    this.reason = reason;
  }
}
