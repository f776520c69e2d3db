// README's main job must stay true: `deno task demo` builds the example, runs the built
// launcher under the simulator against the example's backend, and ends well.
import { assert, assertEquals } from "../assert.ts";

Deno.test("the main job: build the example and run it through its launcher under the simulator", async () => {
  const demo = new URL("../../example/demo.ts", import.meta.url).pathname;
  // Everything the demo keeps goes to a temp folder, not into the repository's dist/.
  const dist = await Deno.makeTempDir({ prefix: "galaxy-demo-test-" });
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", demo, "--out", dist],
      stdin: "null",
      // The check task has type-checked the example; the build's repeat of it is skipped.
      env: { NO_COLOR: "1", GALAXY_BUILD_SKIP_TYPE_CHECK: "1" },
    }).output();
    assert((await Deno.stat(`${dist}/demo-transcript.jsonl`)).isFile);
  } finally {
    await Deno.remove(dist, { recursive: true });
  }
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, text);
  for (
    const expected of [
      // The build names its output relative to the repository.
      `${dist.split("/").pop()}/galaxy-ts-example/ (generic`,
      `starting python3 ${dist}/galaxy-ts-example/plugin.py`,
      "authenticated as demo-player",
      "3 owned games",
      "start_achievements_import: 3 ids → 3 received, 0 failed",
      "the integration exited with code 0",
    ]
  ) {
    assert(text.includes(expected), `missing "${expected}" in:\n${text}`);
  }
});
