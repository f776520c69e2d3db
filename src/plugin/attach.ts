/**
 * The link from a Plugin to the session serving it, kept outside the class so that it is
 * not part of the public API.
 *
 * @module
 */
import type { Sensitivity } from "../wire/mod.ts";
import type { RecordName } from "../protocol/mod.ts";

/** What a plugin's push methods need from its session. */
export interface PushTarget {
  /** Sends a notification whose params are already in wire form. */
  notify(method: string, params: unknown, sensitive?: Sensitivity): Promise<void>;
  /** Checks and encodes `value` as a `record`, then sends `{[key]: wire, ...extra}`. */
  notifyRecord(
    method: string,
    key: string,
    record: RecordName,
    value: unknown,
    extra?: Record<string, unknown>,
  ): Promise<void>;
  /** Sends a request to Galaxy and resolves with its result. */
  request(method: string, params: unknown, sensitive: boolean): Promise<unknown>;
}

/** The session each connected plugin pushes through. */
export const sessions: WeakMap<object, PushTarget> = new WeakMap();
