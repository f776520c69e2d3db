/**
 * An integration's background tasks: named, cancelled together when the session ends,
 * their failures logged with their name instead of escaping as unhandled rejections (which
 * `runPlugin` would log but `deno test` would fail on).
 *
 * @module
 */
import { getLogger } from "../log/mod.ts";
import { delay } from "./timers.ts";
import { logFailure } from "./failure.ts";

const log = getLogger("galaxy.plugin");

/**
 * How long a session's end waits for its aborted tasks to settle, in ms: short, because
 * Galaxy kills the process about a second after asking it to stop (protocol §10).
 */
export const TASK_WAIT_MS = 500;

/**
 * The body of a background task (see `Plugin.startTask`): it should stop soon after
 * `signal` aborts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { TaskBody } from "./tasks.ts";
 * const poll: TaskBody = (signal) => signal.aborted ? undefined : "polled";
 * assert(poll(new AbortController().signal) === "polled");
 * ```
 */
export type TaskBody = (signal: AbortSignal) => unknown;

/** The tasks of one plugin. */
export class Tasks {
  #running = new Map<Promise<void>, { name: string; controller: AbortController }>();
  #ended = false;

  /**
   * Starts `body` now. Its failure is logged with `name`, never thrown or rejected; a
   * failure after its signal aborted is expected and logged at debug level only.
   *
   * @param name Names the task in the log.
   * @param body The task.
   * @returns A promise that resolves when the task has ended, however it ended.
   */
  start(name: string, body: TaskBody): Promise<void> {
    const controller = new AbortController();
    if (this.#ended) {
      log.debug(`Background task ${name} started after the session ended: its signal is aborted`);
      controller.abort();
    }
    const { signal } = controller;
    const done: Promise<void> = new Promise<unknown>((resolve) => resolve(body(signal))).then(
      () => {},
      (error) => {
        if (signal.aborted) log.debug(`Background task ${name} ended on its abort`, error);
        else logFailure(log, `Background task ${name} failed`, error);
      },
    ).finally(() => this.#running.delete(done));
    this.#running.set(done, { name, controller });
    return done;
  }

  /**
   * Aborts every task and waits for them to settle, at most `waitMs`; tasks started later
   * get an aborted signal.
   *
   * @param waitMs The longest wait.
   * @returns A promise that resolves when all settled or the wait is over.
   */
  async cancel(waitMs: number = TASK_WAIT_MS): Promise<void> {
    this.#ended = true;
    if (this.#running.size === 0) return;
    for (const { controller } of this.#running.values()) controller.abort();
    const timeout = delay(waitMs, undefined);
    await Promise.race([Promise.all(this.#running.keys()), timeout.promise]);
    timeout.cancel();
    if (this.#running.size > 0) {
      const names = [...this.#running.values()].map((t) => t.name).join(", ");
      log.warning(`Background tasks still running ${waitMs} ms after their abort: ${names}`);
    }
  }
}
