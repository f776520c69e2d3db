/**
 * The link from a Plugin to the session serving it, kept outside the class so that it is
 * not part of the public API.
 *
 * @module
 */
import { Aborted, type Sensitivity } from "../wire/mod.ts";
import type { RecordName } from "../protocol/mod.ts";
import { getLogger } from "../log/mod.ts";

const log = getLogger("galaxy.plugin");

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

/** Stands in for the session once it has ended: every push is dropped with a log line. */
export class Ended implements PushTarget {
  #told = false;

  #drop(method: string): void {
    const line = `Not sent: ${method}: the session with Galaxy has ended`;
    if (this.#told) log.debug(line);
    else log.warning(`${line} (later pushes are dropped too, logged at debug level)`);
    this.#told = true;
  }

  notify(method: string): Promise<void> {
    this.#drop(method);
    return Promise.resolve();
  }

  notifyRecord(method: string): Promise<void> {
    return this.notify(method);
  }

  request(method: string): Promise<unknown> {
    this.#drop(method);
    return Promise.reject(new Aborted("The session with Galaxy has ended"));
  }
}

/** What pushes go to once a plugin's session has ended (they are dropped, with a log line). */
export const ended: WeakMap<object, PushTarget> = new WeakMap();
