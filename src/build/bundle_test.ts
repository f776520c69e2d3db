import { assertEquals } from "../../tests/assert.ts";
import { relative } from "node:path";
import { bundleShares, relocateSources } from "./bundle.ts";

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

Deno.test("source map sources: project files resolve from the dist folder; nothing names the build machine", () => {
  const runtime = new URL("../../", import.meta.url).pathname; // this package's root
  const work = "/home/someone/proj/dist/.store.building-1/store";
  const from = (path: string) => relative(work, path);
  const sources = [
    from("/home/someone/proj/plugin.ts"),
    from("/home/someone/proj/src/api.ts"),
    from(`${runtime}src/plugin/run.ts`),
    from(`${runtime}mod.ts`),
    from("/home/someone/.cache/deno/npm/registry.npmjs.org/@scope/pkg/2.0.1/lib/x.js"),
    from("/opt/elsewhere/helper.ts"),
    "https://example.com/lib.ts",
  ];
  const inProject = {
    finalDir: "/home/someone/proj/dist/store",
    projectRoot: "/home/someone/proj",
  };
  assertEquals(relocateSources(sources, work, inProject), [
    "../../plugin.ts",
    "../../src/api.ts",
    "@galaxy-ts/runtime/src/plugin/run.ts",
    "@galaxy-ts/runtime/mod.ts",
    "npm:@scope/pkg@2.0.1/lib/x.js",
    "external/helper.ts",
    "https://example.com/lib.ts",
  ]);
  // Built outside the project: its files by their path inside it, never climbing out.
  const outside = { finalDir: "/tmp/out/store", projectRoot: "/home/someone/proj" };
  assertEquals(relocateSources(sources.slice(0, 2), work, outside), ["plugin.ts", "src/api.ts"]);
});
