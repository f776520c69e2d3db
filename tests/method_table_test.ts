// The method table's facts hold on both sides of the wire: what the runtime refuses to send,
// the testing kit (Galaxy's side) reports, from the same range.
import { assert, assertEquals } from "./assert.ts";
import { OS_COMPATIBILITY_RANGE, Platform, Plugin } from "../mod.ts";
import { checkNotification } from "../src/testing/mod.ts";
import { setLogSink } from "../src/log/mod.ts";
import { InProcessGalaxy } from "./in_process.ts";

class Os extends Plugin {
  constructor() {
    super(Platform.Generic, "1.0.0");
  }
  override getOsCompatibility(gameId: string): Promise<number | null> {
    return Promise.resolve(Number(gameId));
  }
}

Deno.test("OS compatibility: the runtime sends and the testing kit accepts the same range", async () => {
  const { min, max } = OS_COMPATIBILITY_RANGE;
  const values = [min - 1, min, max, max + 1];
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    const galaxy = await InProcessGalaxy.serve(new Os());
    await galaxy.send({
      jsonrpc: "2.0",
      id: "0",
      method: "start_os_compatibility_import",
      params: { game_ids: values.map(String) },
    });
    const received = await galaxy.until((m) => m.method === "os_compatibility_import_finished");
    await galaxy.close();
    for (const value of values) {
      const wire = received.find((m) => (m.params as { game_id?: string })?.game_id === `${value}`);
      const sent = wire?.method === "os_compatibility_import_success";
      const accepted = checkNotification("os_compatibility_import_success", {
        game_id: `${value}`,
        os_compatibility: value,
      })?.ok;
      assertEquals(sent, accepted, `value ${value}: runtime sent ${sent}, kit accepts ${accepted}`);
      assertEquals(sent, value >= min && value <= max, `value ${value}`);
    }
  } finally {
    setLogSink(previous);
  }
  assert(lines.some((l) => l.includes("getOsCompatibility")), "refusals are logged");
});
