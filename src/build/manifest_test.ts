import { assert, assertEquals } from "../../tests/assert.ts";
import { checkManifest, folderName } from "./manifest.ts";

const GOOD = {
  name: "My Store",
  platform: "generic",
  guid: "f983e63c-29c5-43f9-8780-886fd83cf015",
  version: "1.0.0",
  description: "Imports My Store games",
  author: "Me",
  email: "me@example.com",
  url: "https://example.com/",
  script: "plugin.py",
};

function problems(data: unknown): string[] {
  const result = checkManifest(data);
  return result.ok ? [] : result.problems;
}

Deno.test("manifest: a valid one passes and keeps fields Galaxy may read", () => {
  const result = checkManifest({ ...GOOD, update_url: "https://example.com/cv.json", extra: 1 });
  assert(result.ok);
  assertEquals(result.manifest.update_url, "https://example.com/cv.json");
  assertEquals((result.manifest as Record<string, unknown>).extra, 1);
  assertEquals(problems({ ...GOOD, version: "0.1" }), []);
});

Deno.test("manifest: one line per problem, naming the field and the fix", () => {
  const { email: _, ...noEmail } = GOOD;
  assertEquals(problems(noEmail), [
    "email: email is missing; set it to an email address where users can reach you",
  ]);
  const lines = problems({ ...GOOD, guid: "nope", platform: "stream", name: "  " });
  assertEquals(lines.map((l) => l.split(":")[0]).sort(), ["guid", "name", "platform"]);
  for (const line of lines) assert(/^\w+: .+; .+/.test(line), line);
  assertEquals(problems([]), ["manifest.json must hold a JSON object"]);
});

Deno.test("manifest: versions are plain numbers, scripts are file names in the folder", () => {
  for (const version of ["1", "1.0.0-beta", "01.2", "1.2.3.4", "v1.0"]) {
    assertEquals(problems({ ...GOOD, version }).map((l) => l.split(":")[0]), ["version"], version);
  }
  for (
    const script of ["../plugin.py", "/abs/plugin.py", "sub/plugin.py", "plugin.ts", "..\\p.py"]
  ) {
    assertEquals(problems({ ...GOOD, script }).map((l) => l.split(":")[0]), ["script"], script);
  }
  assertEquals(problems({ ...GOOD, url: "ftp://example.com" }).map((l) => l.split(":")[0]), [
    "url",
  ]);
});

Deno.test("manifest: folder names", () => {
  assertEquals(folderName(GOOD as never), "my-store");
  assertEquals(folderName({ ...GOOD, name: "???" } as never), `generic_${GOOD.guid}`);
});
