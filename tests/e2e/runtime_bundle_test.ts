// The single-file runtime bundle, as an author uses it: `galaxy bundle-runtime`, then an
// integration in a folder with no import map that imports the files by path (and by URL)
// type-checks against their declarations, passes its tests with the testing kit's file,
// runs under the simulator, and builds.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { deno } from "../checkout.ts";

const CLI = new URL("../../src/cli/main.ts", import.meta.url).pathname;
const ENTRIES = ["mod", "http", "local", "testing"];

/** `deno <subcommand> <permissions> <rest>` in `cwd`. */
function run(args: string[], cwd: string, permissions = ["-A"], env = {}) {
  return deno([args[0], ...permissions, ...args.slice(1)], cwd, env);
}

const plugin = (title: string) =>
  `import {
  type Authentication,
  BackendError,
  type Game,
  LicenseType,
  Platform,
  Plugin,
  runPlugin,
} from "./runtime/mod.js";
import { HttpClient } from "./runtime/http.js";

export class BundledPlugin extends Plugin {
  constructor() {
    super(Platform.Generic, "1.0.0");
  }

  override authenticate(): Promise<Authentication> {
    return Promise.resolve({ userId: "u1", userName: "Bundled" });
  }

  override getOwnedGames(): Promise<Game[]> {
    new HttpClient().close();
    const licenseInfo = { licenseType: LicenseType.SinglePurchase };
    return Promise.resolve([{ gameId: "1", gameTitle: ${title}, licenseInfo }]);
  }

  override getUnlockedAchievements(): Promise<never[]> {
    return Promise.reject(new BackendError());
  }
}

if (import.meta.main) runPlugin(BundledPlugin, Deno.args);
`;

// The testing kit's file drives a Plugin of mod.js's file: one runtime behind both.
const TEST = `import assert from "node:assert/strict";
import { connect } from "./runtime/testing.js";
import { BundledPlugin } from "./plugin.ts";

Deno.test("the bundled runtime, through the bundled testing kit", async () => {
  await using galaxy = await connect(new BundledPlugin());
  await galaxy.initAuthentication();
  assert.deepEqual((await galaxy.importOwnedGames()).map((g) => g.gameTitle), ["One"]);
});
`;

Deno.test("runtime bundle: one import-free module and declarations per entry; an integration checks, tests, simulates and builds against it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-runtime-bundle-" });
  try {
    const made = await run(["run", CLI, "bundle-runtime", "--out", `${dir}/runtime`], dir);
    assertEquals(made.code, 0, made.out);
    for (const entry of ENTRIES) {
      assertMatch(made.out, new RegExp(`runtime/${entry}\\.js [\\d.]+ KB, .*${entry}\\.d\\.ts`));
      // No import left: the module graph is the file and its declarations, nothing else.
      const { out } = await run(["info", "--json", `${dir}/runtime/${entry}.js`], dir, []);
      const graph = JSON.parse(out).modules.map((m: { specifier: string }) =>
        m.specifier.slice(m.specifier.lastIndexOf("/") + 1)
      );
      assertEquals(graph.sort(), [`${entry}.d.ts`, `${entry}.js`, "runtime.d.ts"].sort());
    }

    // An integration project with no import map at all.
    await Deno.writeTextFile(`${dir}/deno.json`, "{}\n");
    await Deno.writeTextFile(
      `${dir}/manifest.json`,
      JSON.stringify({
        name: "Bundled",
        platform: "generic",
        guid: "5a1e3f0c-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
        version: "1.0.0",
        description: "built against the runtime bundle",
        author: "test",
        email: "test@example.com",
        url: "https://example.com/",
        script: "plugin.py",
      }),
    );
    // The declarations are real: a wrong type is caught.
    await Deno.writeTextFile(`${dir}/plugin.ts`, plugin("1"));
    const wrong = await run(["check", "plugin.ts"], dir, []);
    assertEquals(wrong.code, 1, wrong.out);
    assertMatch(wrong.out, /Type 'number' is not assignable to type 'string'/);

    await Deno.writeTextFile(`${dir}/plugin.ts`, plugin('"One"'));
    await Deno.writeTextFile(`${dir}/plugin_test.ts`, TEST);
    // deno test type-checks the test and the plugin it imports first: a type error fails it.
    const tested = await run(["test", "plugin_test.ts"], dir);
    assertEquals(tested.code, 0, tested.out);
    assertMatch(tested.out, /1 passed \| 0 failed/);

    const sim = ["run", CLI, "sim", "--import", "owned,achievements", "--fresh", "--no-transcript"];
    const source = await run([...sim, "."], dir);
    assertEquals(source.code, 0, source.out);
    assertMatch(source.out, /import_owned_games: 1 owned games/);
    // The HTTP file's BackendError is the Plugin runtime's: Galaxy gets its code, not "Unknown".
    assertMatch(source.out, /Backend error/);

    // `deno test` above type-checked plugin.ts: the build's own check would repeat it.
    const built = await run(["run", CLI, "build", ".", "--no-compile"], dir, ["-A"], {
      GALAXY_BUILD_SKIP_TYPE_CHECK: "1",
    });
    assertEquals(built.code, 0, built.out);
    const launched = await run([...sim, "dist/bundled"], dir);
    assertEquals(launched.code, 0, launched.out);
    assertMatch(launched.out, /import_owned_games: 1 owned games/);

    // By URL too: the same files served over HTTP.
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const name = new URL(req.url).pathname.slice(1);
      const type = name.endsWith(".d.ts") ? "application/typescript" : "application/javascript";
      return new Response(Deno.readFileSync(`${dir}/runtime/${name}`), {
        headers: { "content-type": type },
      });
    });
    try {
      const base = `http://127.0.0.1:${server.addr.port}`;
      await Deno.writeTextFile(
        `${dir}/by_url.ts`,
        `import { Plugin } from "${base}/mod.js";\nimport { connect } from "${base}/testing.js";\n` +
          `const name: string = Plugin.name;\nconsole.log(name, typeof connect);\n`,
      );
      const byUrl = await run(["run", "by_url.ts"], dir, [
        `--allow-import=127.0.0.1:${server.addr.port}`,
        "--reload",
        "--check",
      ]);
      assertEquals(byUrl.code, 0, byUrl.out);
      assert(byUrl.out.includes("Plugin function"), byUrl.out);
    } finally {
      await server.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
