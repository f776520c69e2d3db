// The package by URL, as an author with nothing but Deno uses it: this checkout served over
// HTTP on 127.0.0.1, a fresh DENO_DIR, and an empty folder with no deno.json. No import map
// is read anywhere, so every dependency of our modules must be a full specifier.
import { cp } from "node:fs/promises";
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { deno, servePackage } from "../checkout.ts";

/** An integration that imports the package and its HTTP client by URL only. */
function integration(base: string): string {
  return `import { LicenseType, Platform, Plugin, runPlugin } from "${base}mod.ts";
import { HttpClient } from "${base}src/http/mod.ts";

class ByUrl extends Plugin {
  constructor() {
    super(Platform.Generic, "0.1.0");
  }
  override authenticate() {
    return Promise.resolve({ userId: "u1", userName: "By URL" });
  }
  override async getOwnedGames() {
    // The package's own deno.json, fetched through its HTTP client from the same server.
    const http = new HttpClient({ baseUrl: "${base}" });
    const config = (await http.getJson("deno.json")) as { name: string };
    http.close();
    return [{ gameId: "1", gameTitle: config.name, licenseInfo: { licenseType: LicenseType.FreeToPlay } }];
  }
}

if (import.meta.main) runPlugin(ByUrl, Deno.args);
`;
}

/**
 * A DENO_DIR with nothing cached but the npm packages the suite already has (valibot),
 * so the test does not download them again; the served modules are fetched fresh.
 */
async function freshDenoDir(dir: string): Promise<string> {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  const npmCache: string = JSON.parse(new TextDecoder().decode(info.stdout)).npmCache;
  await Deno.mkdir(dir, { recursive: true });
  try {
    await cp(npmCache, `${dir}/npm`, { recursive: true });
  } catch {
    // Nothing cached yet: the npm registry serves it.
  }
  return dir;
}

Deno.test("by URL, no import map: an integration runs under the simulator; init's project tests and builds", async () => {
  const { base, server } = servePackage();
  const tmp = await Deno.makeTempDir({ prefix: "galaxy-url-" });
  try {
    const env = { DENO_DIR: await freshDenoDir(`${tmp}/deno_dir`) };
    const work = `${tmp}/empty`;
    await Deno.mkdir(work);
    await Deno.writeTextFile(`${work}/plugin.ts`, integration(base));
    const cli = `${base}src/cli/main.ts`;

    const sim = await deno(
      ["run", "-A", cli, "sim", "--import", "owned", "--fresh", "plugin.ts"],
      work,
      env,
    );
    assertEquals(sim.code, 0, sim.out);
    assertMatch(sim.out, /authenticated as By URL/);
    assertMatch(sim.out, /@galaxy-ts\/runtime/);

    const init = await deno(["run", "-A", cli, "init", "my-integration"], work, env);
    assertEquals(init.code, 0, init.out);
    const config = await Deno.readTextFile(`${work}/my-integration/deno.json`);
    assert(!config.includes("file:"), config);
    assertEquals(JSON.parse(config).imports["@galaxy-ts/runtime"], `${base}mod.ts`);
    const test = await deno(["task", "test"], `${work}/my-integration`, env);
    assertEquals(test.code, 0, test.out);
    assertMatch(test.out, /2 passed \| 0 failed/);
    // Bundling fetches the runtime from the same host, which Deno's default import list lacks.
    // `deno task test` just type-checked plugin.ts: the build's own check would repeat it.
    const build = await deno(["task", "build"], `${work}/my-integration`, {
      ...env,
      GALAXY_BUILD_SKIP_TYPE_CHECK: "1",
    });
    assertEquals(build.code, 0, build.out);
    assert((await Deno.stat(`${work}/my-integration/dist/my-integration/plugin.js`)).isFile);
  } finally {
    await server.shutdown();
    await Deno.remove(tmp, { recursive: true });
  }
});
