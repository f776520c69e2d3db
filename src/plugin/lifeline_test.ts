import { assertEquals } from "../../tests/assert.ts";
import { endWhen, LIFELINE_MARKER, lifelineCut } from "./lifeline.ts";

function input(...chunks: string[]) {
  const queue = chunks.map((c) => new TextEncoder().encode(c));
  return {
    read(p: Uint8Array): Promise<number | null> {
      const chunk = queue.shift();
      if (!chunk) return Promise.resolve(null);
      p.set(chunk);
      return Promise.resolve(chunk.length);
    },
  };
}

/** Whether `promise` settles within a moment; used only to show that one does not. */
const settled = (promise: Promise<unknown>) =>
  Promise.race([promise.then(() => true), new Promise((r) => setTimeout(() => r(false), 50))]);

Deno.test("the lifeline is cut only by end of input after the whole marker", async () => {
  // A cut resolves (a broken cut would hang the test); the rest must not settle.
  await lifelineCut(input(LIFELINE_MARKER));
  await lifelineCut(input("galaxy-ts ", "lifeline\n"));
  assertEquals(await settled(lifelineCut(input())), false, "/dev/null is no lifeline");
  assertEquals(await settled(lifelineCut(input("something else\n"))), false);
  assertEquals(await settled(lifelineCut(input("galaxy-ts "))), false, "half a marker");
  // A terminal is never a lifeline, even one that carries the marker and then ends (with
  // an empty input this would not settle whatever the terminal check did).
  assertEquals(
    await settled(lifelineCut({ ...input(LIFELINE_MARKER), isTerminal: () => true })),
    false,
    "a terminal is no lifeline",
  );
});

Deno.test("endWhen ends a pending read and every later one, and passes reads through before", async () => {
  const cut = Promise.withResolvers<void>();
  let reads = 0;
  const never = new Promise<number | null>(() => {});
  const wrapped = endWhen({
    read: () => ++reads === 1 ? Promise.resolve(7) : never,
    write: (p) => Promise.resolve(p.length),
    close() {},
  }, cut.promise);
  assertEquals(await wrapped.read(new Uint8Array(8)), 7);
  const pending = wrapped.read(new Uint8Array(8));
  cut.resolve();
  assertEquals(await pending, null);
  assertEquals(await wrapped.read(new Uint8Array(8)), null);
});
