import { assertEquals } from "../../tests/assert.ts";
import { pack } from "./pack.ts";
import { Target } from "./targets.ts";

Deno.test("pack: each OS's zip holds its own binaries; current_version.json lists the zips", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const f of [
        "manifest.json",
        "plugin.py",
        "plugin-x86_64-pc-windows-msvc.exe",
        "plugin-aarch64-apple-darwin",
      ]
    ) {
      await Deno.writeTextFile(`${dir}/${f}`, f);
    }
    const release = await pack({
      dir,
      name: "demo",
      version: "1.2.0",
      files: ["manifest.json", "plugin.py"],
      targets: [Target.WindowsX64, Target.MacosX64, Target.MacosArm64],
      binaries: [
        { file: "plugin-x86_64-pc-windows-msvc.exe", target: Target.WindowsX64 },
        { file: "plugin-aarch64-apple-darwin", target: Target.MacosArm64 },
      ],
      updateUrl: "https://raw.example.com/me/demo/main/current_version.json",
      downloadUrl: "https://example.com/me/demo/releases/download/1.2.0",
    });
    assertEquals(release.map((f) => f.name), [
      "demo_1.2.0_windows.zip",
      "demo_1.2.0_macos.zip",
      "current_version.json",
    ]);
    // The names in the central directory, read as an unzipper reads them.
    const names = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const count = view.getUint16(bytes.length - 12, true);
      let at = view.getUint32(bytes.length - 6, true);
      const found: string[] = [];
      for (let i = 0; i < count; i++) {
        const length = view.getUint16(at + 28, true);
        found.push(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + length)));
        at += 46 + length;
      }
      return found;
    };
    assertEquals(names(release[0].bytes), [
      "manifest.json",
      "plugin.py",
      "plugin-x86_64-pc-windows-msvc.exe",
    ]);
    assertEquals(names(release[1].bytes), [
      "manifest.json",
      "plugin.py",
      "plugin-aarch64-apple-darwin",
    ]);
    assertEquals(JSON.parse(new TextDecoder().decode(release[2].bytes)), {
      tag_name: "1.2.0",
      assets: [
        {
          name: "demo_1.2.0_windows.zip",
          browser_download_url:
            "https://example.com/me/demo/releases/download/1.2.0/demo_1.2.0_windows.zip",
        },
        {
          name: "demo_1.2.0_macos.zip",
          browser_download_url:
            "https://example.com/me/demo/releases/download/1.2.0/demo_1.2.0_macos.zip",
        },
      ],
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
