// Assertions for our tests, on node:assert (JSR's @std/assert cannot be fetched here).
import nodeAssert from "node:assert/strict";

export function assert(condition: unknown, message?: string): asserts condition {
  nodeAssert.ok(condition, message);
}

export function assertEquals<T>(actual: unknown, expected: T, message?: string): void {
  nodeAssert.deepStrictEqual(actual, expected, message);
}

export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  nodeAssert.match(actual, pattern, message);
}

export async function assertRejects(
  fn: () => Promise<unknown>,
  check?: (error: unknown) => boolean,
): Promise<void> {
  if (check) await nodeAssert.rejects(fn, (e: unknown) => check(e));
  else await nodeAssert.rejects(fn);
}

export function assertThrows(fn: () => unknown, check?: (error: unknown) => boolean): void {
  if (check) nodeAssert.throws(fn, (e: unknown) => check(e));
  else nodeAssert.throws(fn);
}
