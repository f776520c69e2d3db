import { assert, assertEquals } from "../../tests/assert.ts";
import { permissionFlags, permissionHint } from "./permissions.ts";

async function flagsFor(config: unknown) {
  const root = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${root}/deno.json`, JSON.stringify(config));
    await Deno.mkdir(`${root}/integration`);
    return await permissionFlags(`${root}/integration`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("permissions: 127.0.0.1 plus what the nearest deno.json's integration set grants", async () => {
  const result = await flagsFor({
    permissions: {
      integration: { net: ["api.store.example"], env: { allow: ["GALAXY_LOG_LEVEL"] }, read: true },
      other: { write: true },
    },
  });
  assert(result.ok);
  assertEquals(result.flags, [
    "--allow-net=127.0.0.1,api.store.example",
    "--allow-read",
    "--allow-env=GALAXY_LOG_LEVEL",
  ]);
  const none = await flagsFor({ imports: {} });
  assert(none.ok);
  assertEquals(none.flags, ["--allow-net=127.0.0.1"]);
});

Deno.test("permissions: what the build cannot grant is a problem line", async () => {
  const result = await flagsFor({ permissions: { integration: { all: true, net: 5 } } });
  assert(!result.ok);
  assertEquals(result.problems.length, 2);
  assert(result.problems.every((p) => p.includes("deno.json: permissions.integration")));
});

Deno.test("permission hint: one line naming the permission, the resource and the deno.json entry", () => {
  assertEquals(
    permissionHint('NotCapable: Requires net access to "api.store.example:443", run again'),
    'permission denied: net access to "api.store.example:443"; grant it in deno.json: ' +
      'permissions.integration.net: ["api.store.example"]',
  );
  assertEquals(
    permissionHint('ERROR x: {"error":"Requires read access to \\"/proc/1/stat\\", run again"}'),
    'permission denied: read access to "/proc/1/stat"; grant it in deno.json: ' +
      'permissions.integration.read: ["/proc/1/stat"]',
  );
  assertEquals(
    permissionHint("Requires run access to ls, run again with the --allow-run flag"),
    'permission denied: run access to "ls"; grant it in deno.json: permissions.integration.run: ["ls"]',
  );
  // Said already in these words by the runtime: kept as it is.
  const said = 'permission denied: env access to "X"; grant it in deno.json: ' +
    'permissions.integration.env: ["X"]';
  assertEquals(permissionHint(`2024 ERROR galaxy.http: ${said}`), said);
  assertEquals(permissionHint("Requires a login"), undefined);
});
