import { assertEquals } from "../../tests/assert.ts";
import { denialInText, permissionDenial } from "./mod.ts";

/** What Deno itself throws for `action` under the test's permissions. */
async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("not denied");
}

Deno.test({
  name: "permission denial: Deno's own refusals become the deno.json entry that grants them",
  permissions: { net: ["127.0.0.1"], read: true, env: false, run: false, ffi: false },
  async fn() {
    const cases: [() => unknown, string, string | null, string | null][] = [
      [
        () => fetch("https://api.store.example/v1"),
        "net",
        "api.store.example:443",
        '["api.store.example"]',
      ],
      [
        () => fetch("http://api.store.example/v1"),
        "net",
        "api.store.example:80",
        '["api.store.example"]',
      ],
      // Not a default port: the grant keeps it, as Deno named it.
      [() => fetch("http://127.0.0.2:8080/"), "net", "127.0.0.2:8080", '["127.0.0.2:8080"]'],
      [() => Deno.env.get("STORE_REGION"), "env", "STORE_REGION", '["STORE_REGION"]'],
      [() => Deno.env.toObject(), "env", null, "true"],
      [() => new Deno.Command("ps").output(), "run", "ps", '["ps"]'],
      [() => Deno.dlopen("libc.so.6", {}), "ffi", "libc.so.6", "true"],
      // Deno refuses /proc to anything less than every permission, which no entry grants.
      [() => Deno.readTextFile("/proc/self/stat"), "all", "/proc/self/stat", null],
    ];
    for (const [action, permission, resource, grant] of cases) {
      const error = await thrown(action);
      const denial = permissionDenial(error);
      const entry = grant === null ? null : `permissions.integration.${permission}: ${grant}`;
      assertEquals(
        { permission: denial?.permission, resource: denial?.resource, entry: denial?.entry },
        { permission, resource, entry },
        String(error),
      );
      const what = resource === null ? "" : ` to ${JSON.stringify(resource)}`;
      assertEquals(
        denial?.message,
        entry === null
          ? `permission denied: all access${what}; no deno.json entry grants it: Deno allows it ` +
            "only with every permission, which a built integration never has"
          : `permission denied: ${permission} access${what}; grant it in deno.json: ${entry}`,
      );
      // Wrapped, or written into a log line (as JSON too), it is the same denial.
      assertEquals(permissionDenial(new Error("sync failed", { cause: error })), denial);
      assertEquals(denialInText(`ERROR galaxy.plugin: ${denial?.message}`), denial);
      assertEquals(denialInText(JSON.stringify({ error: String(error) })), denial);
      assertEquals(denialInText(JSON.stringify({ error: denial?.message })), denial);
    }
  },
});

Deno.test("permission denial: Deno's text with a bare resource; nothing else is one", async () => {
  assertEquals(
    denialInText("Requires run access to ls, run again with the --allow-run flag")?.entry,
    'permissions.integration.run: ["ls"]',
  );
  assertEquals(denialInText("Requires a login"), undefined);
  assertEquals(
    permissionDenial(await thrown(() => Deno.readTextFile("/nonexistent/x"))),
    undefined,
  );
  assertEquals(
    permissionDenial(new Deno.errors.PermissionDenied("Permission denied (os error 13)")),
    undefined,
  );
  assertEquals(permissionDenial(42), undefined);
  const hostile = new Proxy({}, {
    getPrototypeOf() {
      throw new Error("trap");
    },
  });
  assertEquals(permissionDenial(hostile), undefined);
});
