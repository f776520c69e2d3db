import { assertEquals } from "../../tests/assert.ts";
import { PushHold } from "./hold.ts";

Deno.test("held sends go out in order on Galaxy's next message, later ones at once", async () => {
  const sent: string[] = [];
  const hold = new PushHold(60_000);
  const send = (name: string) => () => Promise.resolve(void sent.push(name));
  const first = hold.run(send("a"));
  const second = hold.run(send("b"));
  hold.seen(); // before initialize_cache: not a readiness signal
  await Promise.resolve();
  assertEquals(sent, []);
  hold.arm();
  hold.seen();
  await Promise.all([first, second]);
  await hold.run(send("c"));
  assertEquals(sent, ["a", "b", "c"]);
});

Deno.test("without a next message the delay releases; a failing send rejects its own push", async () => {
  const hold = new PushHold(1);
  const failed = hold.run(() => Promise.reject(new Error("closed")));
  const ok = hold.run(() => Promise.resolve("sent"));
  hold.arm();
  assertEquals(await ok, "sent");
  assertEquals(await failed.catch((e) => e.message), "closed");
});
