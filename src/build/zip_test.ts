import { assertEquals } from "../../tests/assert.ts";
import { zip } from "./zip.ts";

Deno.test("zip: Python's zipfile reads names, bytes, modes and checks every CRC", async () => {
  const big = new TextEncoder().encode("galaxy ".repeat(10_000));
  const random = crypto.getRandomValues(new Uint8Array(5000)); // stored: deflate would grow it
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(
      `${dir}/t.zip`,
      zip([
        { name: "manifest.json", data: new TextEncoder().encode("{}") },
        { name: "bin/plugin-x86_64-apple-darwin", data: big, mode: 0o755 },
        { name: "données.bin", data: random },
      ]),
    );
    const script = `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.file_size, i.external_attr >> 16 & 0o777, i.compress_type] for i in z.infolist()]))
`;
    const { stdout, stderr } = await new Deno.Command("python3", {
      args: ["-c", script, `${dir}/t.zip`],
    })
      .output();
    assertEquals(new TextDecoder().decode(stderr), "");
    assertEquals(JSON.parse(new TextDecoder().decode(stdout)), [
      ["manifest.json", 2, 0o644, 0],
      ["bin/plugin-x86_64-apple-darwin", big.length, 0o755, 8],
      ["données.bin", 5000, 0o644, 0],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
