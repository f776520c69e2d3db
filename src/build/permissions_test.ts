import { assert, assertEquals } from "../../tests/assert.ts";
import { permissionFlags } from "./permissions.ts";

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
