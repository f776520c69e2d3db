/**
 * Timers of the runtime, built on `AbortSignal.timeout`, a web timer: in Deno 2.9 the first
 * `setTimeout` or `setInterval` of a process loads Node's timers module, a stall of 7 to
 * 20 ms and 4 MiB of memory, which fell inside Galaxy's start-up handshake (the push hold
 * starts at `initialize_cache`) and the first import after it (the tick).
 *
 * @module
 */

/**
 * Calls `fn` once after `ms`, unless the returned function is called first.
 *
 * @param ms The delay.
 * @param fn What to call.
 * @returns Cancels the call.
 */
export function after(ms: number, fn: () => void): () => void {
  const signal = AbortSignal.timeout(ms);
  signal.addEventListener("abort", fn, { once: true });
  return () => signal.removeEventListener("abort", fn);
}

/**
 * A promise that resolves with `value` after `ms`, and the function that clears it (the
 * promise then never settles).
 *
 * @param ms The delay.
 * @param value What it resolves with.
 * @returns The promise and its cancel.
 */
export function delay<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let cancel = () => {};
  const promise = new Promise<T>((resolve) => (cancel = after(ms, () => resolve(value))));
  return { promise, cancel };
}

/**
 * Calls `fn` every `ms` until the returned function is called.
 *
 * @param ms The period.
 * @param fn What to call.
 * @returns Stops the calls.
 */
export function every(ms: number, fn: () => void): () => void {
  let cancel: () => void;
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    cancel = after(ms, fire);
    fn();
  };
  cancel = after(ms, fire);
  return () => {
    stopped = true;
    cancel();
  };
}
