// TestGalaxy against an integration written by hand, since the runtime never lets a
// malformed record out: the test Galaxy must refuse it as Galaxy would.
import { assert, assertEquals, assertRejects } from "../../tests/assert.ts";
import { readLines } from "../wire/mod.ts";
import { memoryPipe } from "./memory_transport.ts";
import { ProtocolViolation, TestGalaxy } from "./test_galaxy.ts";
import { setLogSink } from "../log/mod.ts";

// The in-process runtime logs what it serves; a passing run prints only the runner's lines.
setLogSink(() => {});

Deno.test("TestGalaxy: a malformed result is thrown, and close() reports every violation", async () => {
  const [galaxyEnd, pluginEnd] = memoryPipe();
  const reply = (line: unknown) =>
    pluginEnd.write(new TextEncoder().encode(JSON.stringify(line) + "\n"));
  const served = readLines(pluginEnd, (bytes) => {
    const m = JSON.parse(new TextDecoder().decode(bytes));
    if (m.method === "import_owned_games") {
      void reply({ jsonrpc: "2.0", id: m.id, result: { owned_games: [{ game_id: 1 }] } });
      void reply({ jsonrpc: "2.0", method: "friend_removed", params: {} });
    } else if (m.method === "shutdown") {
      void reply({ jsonrpc: "2.0", id: m.id, result: null }).then(() => pluginEnd.close());
    }
  });
  const galaxy = new TestGalaxy(galaxyEnd, served, { timeoutMs: 2000 });
  await assertRejects(
    () => galaxy.importOwnedGames(),
    (e) => e instanceof ProtocolViolation && /owned_games\[0\]\.game_id/.test(e.message),
  );
  // Refused as malformed (friend_removed without user_id), not merely timed out.
  await assertRejects(
    () => galaxy.nextNotification("friend_removed"),
    (e) => e instanceof ProtocolViolation && /friend_removed/.test(e.message),
  );
  let thrown: unknown;
  await galaxy.close().catch((e) => (thrown = e));
  assert(thrown instanceof ProtocolViolation);
  assertEquals(thrown.violations.map((v) => v.kind), ["invalid-answer", "invalid-notification"]);
});
