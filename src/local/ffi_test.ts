// The Windows helpers' FFI grant, tried on this (Linux) machine with the system's C library:
// under the build's flags for "ffi": true a library opens by its bare name, without them
// the error names the grant, and a scoped grant does not serve (why the docs say `true`).
import { assert, assertEquals } from "../../tests/assert.ts";
import { runSandboxed } from "../../tests/sandbox.ts";
import { permissionFlags } from "../build/mod.ts";

const PROBE = `import { openLibrary } from ${
  JSON.stringify(new URL("./ffi.ts", import.meta.url).href)
};
try {
  const libc = openLibrary("the probe", "libc.so.6", { getpid: { parameters: [], result: "i32" } });
  console.log(libc.symbols.getpid() === Deno.pid ? "opened" : "wrong pid");
} catch (error) {
  console.log(error.name + ": " + error.message);
}
`;

async function flagsFor(integration: Record<string, unknown>): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ permissions: { integration } }));
    const result = await permissionFlags(dir);
    assert(result.ok);
    return result.flags;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: 'FFI: "ffi": true opens a system library by name; without it the grant is named',
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const granted = await flagsFor({ ffi: true });
    assertEquals(granted, ["--allow-net=127.0.0.1", "--allow-ffi"]);
    assertEquals(await runSandboxed(PROBE, granted), ["opened"]);
    assertEquals(await runSandboxed(PROBE, await flagsFor({})), [
      "PermissionNeeded: the probe: permission denied: ffi access; grant it in deno.json: " +
      "permissions.integration.ffi: true",
    ]);
    const [scoped] = await runSandboxed(PROBE, await flagsFor({ ffi: ["libc.so.6"] }));
    assert(scoped !== "opened", "a scoped grant resolves the name against the working directory");
  },
});
