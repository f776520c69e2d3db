// README's main job must stay true: `deno task demo` builds the example, runs the built
// launcher under the simulator against the example's backend, and ends well.
import { assert, assertEquals } from "./assert.ts";

Deno.test("the main job: build the example and run it through its launcher under the simulator", async () => {
  const demo = new URL("../example/demo.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", demo],
    stdin: "null",
    env: { NO_COLOR: "1" },
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, text);
  for (
    const expected of [
      "built dist/galaxy-ts-example/",
      "starting python3 dist/galaxy-ts-example/plugin.py",
      "authenticated as demo-player",
      "3 owned games",
      "start_achievements_import: 3 ids → 3 received, 0 failed",
      "the integration exited with code 0",
    ]
  ) {
    assert(text.includes(expected), `missing "${expected}" in:\n${text}`);
  }
});
