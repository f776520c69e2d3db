/**
 * A counting semaphore: at most N tasks at a time, the others queued in arrival order.
 *
 * @module
 */

/**
 * Runs tasks with at most `limit` of them in progress at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Limiter } from "./limiter.ts";
 * const limiter = new Limiter(2);
 * let running = 0, most = 0;
 * await Promise.all([1, 2, 3, 4].map(() =>
 *   limiter.run(async () => {
 *     most = Math.max(most, ++running);
 *     await new Promise((r) => setTimeout(r, 5));
 *     running--;
 *   })
 * ));
 * assert(most === 2);
 * ```
 */
export class Limiter {
  /** The most tasks in progress at once. */
  readonly limit: number;
  #active = 0;
  #queue: (() => void)[] = [];

  /** Creates a limiter; `limit` is at least 1. */
  constructor(limit: number) {
    if (!(limit >= 1)) throw new RangeError(`a concurrency limit must be at least 1, not ${limit}`);
    this.limit = Math.floor(limit);
  }

  /** Tasks in progress now. */
  get active(): number {
    return this.#active;
  }

  /** Runs `task` once a slot is free; the slot is given back however the task ends. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal);
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = () => {
        this.#queue = this.#queue.filter((g) => g !== grant);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(grant);
    });
  }

  #release(): void {
    this.#active--;
    this.#queue.shift()?.();
  }
}
