/**
 * Holding the integration's pushes until Galaxy can take them.
 *
 * Galaxy drops notifications that reach it too early: one sent within about 10 ms of
 * `initialize_cache` was lost (protocol §10), which is where `handshakeComplete` pushes.
 * So the session holds every push (notification or request of the integration's) from its
 * start until Galaxy shows it is ready, then sends them in the order they were made. Ready
 * is Galaxy's next message after `initialize_cache` (the real client sends `ping` at once),
 * or, when none comes, {@linkcode PUSH_HOLD_MS} after `initialize_cache`: the delay that
 * integrations on the Python SDK found to work. A held push's promise settles when it is
 * sent, so a producer awaiting each push is paused, not buffered without limit.
 *
 * @module
 */
import { after } from "./timers.ts";

/** How long pushes wait after `initialize_cache` when Galaxy sends nothing more, in ms. */
export const PUSH_HOLD_MS = 1000;

/** Sends made before Galaxy is ready, in order; once released, sends go straight through. */
export class PushHold {
  #held: (() => void)[] | null = [];
  #delayMs: number;
  #armed = false;
  #cancelTimer = () => {};

  /**
   * Creates a hold that is on until released.
   *
   * @param delayMs How long after {@linkcode PushHold.arm} it releases by itself.
   */
  constructor(delayMs: number = PUSH_HOLD_MS) {
    this.#delayMs = delayMs;
  }

  /**
   * Runs `send` now when released, else once released; resolves or rejects as it does.
   *
   * @param send Sends one push.
   * @returns The outcome of `send`.
   */
  run<T>(send: () => Promise<T>): Promise<T> {
    if (this.#held === null) return send();
    return new Promise<T>((resolve, reject) => {
      this.#held!.push(() => new Promise<T>((r) => r(send())).then(resolve, reject));
    });
  }

  /** Galaxy sent `initialize_cache`: its next message releases, or the delay does. */
  arm(): void {
    if (this.#held === null || this.#armed) return;
    this.#armed = true;
    this.#cancelTimer = after(this.#delayMs, () => this.release());
  }

  /** Galaxy sent a message: if it came after `initialize_cache`, Galaxy is ready. */
  seen(): void {
    if (this.#armed) this.release();
  }

  /** Sends everything held, in order; later sends go straight through. */
  release(): void {
    const held = this.#held;
    if (held === null) return;
    this.#held = null;
    this.#armed = false;
    this.#cancelTimer();
    for (const send of held) send();
  }
}
