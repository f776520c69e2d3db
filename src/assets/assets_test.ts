import { assertEquals, assertMatch, assertRejects, assertThrows } from "../../tests/assert.ts";
import { assetUrl, readAsset, readAssetText } from "./assets.ts";

Deno.test("assets: found relative to the base; a path leaving the folder is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/data`);
    await Deno.writeFile(`${dir}/data/t.bin`, new Uint8Array([0, 255]));
    const base = `file://${dir}/plugin.js`;
    assertEquals(await readAsset("data/t.bin", { base }), new Uint8Array([0, 255]));
    assertEquals(await readAsset("data\\t.bin", { base }), new Uint8Array([0, 255]));
    for (const bad of ["/etc/passwd", "../x.json", "data/../../x", "C:/x", "https://x/y"]) {
      assertThrows(
        () => assetUrl(bad, { base }),
        (e) => e instanceof TypeError && e.message.includes("inside the integration folder"),
      );
    }
    await assertRejects(
      () => readAssetText("data/missing.json", { base }),
      (e) =>
        /^asset "data\/missing\.json" not found at .*data\/missing\.json: list it in manifest\.json's "assets" and rebuild$/
          .test((e as Error).message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("assets: outside the sandbox's grant, the message says where to list it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/secret.txt`, "x");
    const script = `
      import { readAsset } from ${JSON.stringify(new URL("./assets.ts", import.meta.url).href)};
      try { await readAsset("secret.txt", { base: ${JSON.stringify(`file://${dir}/p.js`)} }); }
      catch (e) { console.log(e.message); }`;
    // With no read permission at all, as in a sandbox that does not list it.
    const denied = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", `data:application/typescript,${encodeURIComponent(script)}`],
      env: { NO_COLOR: "1" },
    }).output();
    assertMatch(
      new TextDecoder().decode(denied.stdout),
      /asset "secret\.txt" may not be read: list it in manifest\.json's "assets"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
