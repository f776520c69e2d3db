// listProcesses() in a child Deno under exactly the flags `galaxy build` bakes into a binary
// (permissionFlags of src/build) for an integration that grants what the docs say it needs.
import { assert, assertEquals } from "../../tests/assert.ts";
import { runSandboxed } from "../../tests/sandbox.ts";
import { permissionFlags } from "../build/mod.ts";

const PROBE = `import { listProcesses } from ${
  JSON.stringify(new URL("./processes.ts", import.meta.url).href)
};
try {
  const found = (await listProcesses()).find((p) => p.pid === ${Deno.pid});
  console.log(JSON.stringify({ found }));
} catch (error) {
  console.log(JSON.stringify({ error: error.name, message: error.message }));
}
`;

async function runUnderBuildFlags(integration: Record<string, unknown>) {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ permissions: { integration } }));
    const result = await permissionFlags(dir);
    assert(result.ok, "the permission set is valid");
    const [line] = await runSandboxed(PROBE, result.flags);
    return { flags: result.flags, ...JSON.parse(line) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("listProcesses() finds this test's process under the build's flags plus run: [ps]", async () => {
  const { flags, found, error, message } = await runUnderBuildFlags({ run: ["ps"] });
  assertEquals(flags, ["--allow-net=127.0.0.1", "--allow-run=ps"]);
  assertEquals(error, undefined, message);
  const exe = await Deno.realPath(Deno.execPath());
  assertEquals(found, { pid: Deno.pid, name: exe.slice(exe.lastIndexOf("/") + 1), path: exe });
});

Deno.test("without the grant, listProcesses() names the deno.json line that fixes it", async () => {
  // The grant the docs used to give, which Deno 2.9 does not honour for /proc.
  const { flags, error, message } = await runUnderBuildFlags({ read: ["/proc"] });
  assertEquals(flags, ["--allow-net=127.0.0.1", "--allow-read=/proc"]);
  assertEquals(error, "PermissionNeeded");
  assertEquals(
    message,
    'listProcesses(): permission denied: run access to "ps"; grant it in deno.json: ' +
      'permissions.integration.run: ["ps"]',
  );
});
