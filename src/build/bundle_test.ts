import { assertEquals } from "../../tests/assert.ts";
import { bundleShares } from "./bundle.ts";

Deno.test("bundle shares: every mapped byte goes to the origin of its source", () => {
  // Generated "runtimeDEPintegr": columns 0, 7, 10, with sources 0, 1, 2.
  const mapUrl = new URL("./out.js.map", import.meta.url).href; // inside src/: the runtime
  const shares = bundleShares(
    "runtimeDEPintegr\n//# sourceMappingURL=out.js.map",
    {
      sources: [
        "plugin.ts",
        "/cache/npm/registry.npmjs.org/dep/1.0.0/index.mjs",
        "/elsewhere/x.ts",
      ],
      mappings: "AAAA,OCAA,GCAA",
    },
    mapUrl,
  );
  assertEquals(shares, { total: 48, runtime: 7, dependencies: 3, integration: 6 });
});
