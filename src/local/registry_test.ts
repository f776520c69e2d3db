import { assert, assertEquals, assertThrows } from "../../tests/assert.ts";
import {
  decodeValue,
  encodeValue,
  installedPrograms,
  MemoryRegistry,
  parseKey,
  Registry,
  RegistryError,
  type RegistryValue,
  UNINSTALL_KEY,
} from "./mod.ts";

const bytes = (...b: number[]) => new Uint8Array(b);
const utf16 = (s: string) =>
  new Uint8Array(new Uint16Array([...s].map((c) => c.charCodeAt(0))).buffer);

Deno.test("values decode from the bytes Windows stores", () => {
  assertEquals(decodeValue(1, utf16("C:\\Program Files\\Störe\0")), {
    type: "REG_SZ",
    value: "C:\\Program Files\\Störe",
  });
  // No terminator, an odd trailing byte, and garbage after the NUL are all tolerated.
  assertEquals(decodeValue(1, new Uint8Array([...utf16("ab"), 0x41])).value, "ab");
  assertEquals(decodeValue(1, utf16("ok\0junk")).value, "ok");
  assertEquals(decodeValue(2, utf16("%ProgramFiles%\\S\0")), {
    type: "REG_EXPAND_SZ",
    value: "%ProgramFiles%\\S",
  });
  assertEquals(decodeValue(7, utf16("one\0two\0\0")), {
    type: "REG_MULTI_SZ",
    value: ["one", "two"],
  });
  assertEquals(decodeValue(7, utf16("one\0two")).value, ["one", "two"]);
  assertEquals(decodeValue(7, utf16("a\0\0b\0\0")).value, ["a"]);
  assertEquals(decodeValue(7, utf16("\0")).value, []);
  assertEquals(decodeValue(4, bytes(0x78, 0x56, 0x34, 0x12)), {
    type: "REG_DWORD",
    value: 0x12345678,
  });
  assertEquals(decodeValue(4, bytes(0xff, 0xff, 0xff, 0xff)).value, 4294967295);
  assertEquals(decodeValue(4, bytes(1)).value, 1);
  assertEquals(decodeValue(5, bytes(0x12, 0x34, 0x56, 0x78)).value, 0x12345678);
  assertEquals(decodeValue(11, bytes(1, 0, 0, 0, 0, 0, 0, 0x80)), {
    type: "REG_QWORD",
    value: 0x8000000000000001n,
  });
  assertEquals(decodeValue(3, bytes(0, 1, 2)), { type: "REG_BINARY", value: bytes(0, 1, 2) });
  assertEquals(decodeValue(0, bytes()), { type: "REG_NONE", value: bytes() });
  assertEquals(decodeValue(0x4242, bytes(9)), { type: "REG_NONE", value: bytes(9), code: 0x4242 });
});

Deno.test("encoding then decoding gives every type back", () => {
  const values: RegistryValue[] = [
    { type: "REG_SZ", value: "naïve ✓ 𝄞" },
    { type: "REG_EXPAND_SZ", value: "%APPDATA%\\x" },
    { type: "REG_MULTI_SZ", value: ["a", "b c", "d"] },
    { type: "REG_MULTI_SZ", value: [] },
    { type: "REG_DWORD", value: 7 },
    { type: "REG_DWORD_BIG_ENDIAN", value: 0x01020304 },
    { type: "REG_QWORD", value: 2n ** 63n + 5n },
    { type: "REG_BINARY", value: bytes(1, 2, 3) },
  ];
  for (const value of values) {
    const { code, data } = encodeValue(value);
    assertEquals(decodeValue(code, data), value);
  }
  assertEquals(
    encodeValue({ type: "REG_MULTI_SZ", value: ["a"] }).data,
    bytes(0x61, 0, 0, 0, 0, 0),
  );
});

Deno.test("key names: short and long hive names, only backslashes split", () => {
  assertEquals(parseKey("HKLM\\SOFTWARE\\A/B"), { hive: "HKLM", path: "SOFTWARE\\A/B" });
  assertEquals(parseKey("hkey_users"), { hive: "HKU", path: "" });
  assertThrows(
    () => parseKey("HKXX\\Software"),
    (e) => e instanceof TypeError && /HKLM, HKCU/.test(e.message),
  );
});

Deno.test("reads: views, case-insensitive names, missing keys and values, wrong types", () => {
  const memory = new MemoryRegistry();
  memory.setValue("HKLM\\SOFTWARE\\Store", "Path", { type: "REG_SZ", value: "C:\\64" });
  memory.setValue("HKLM\\SOFTWARE\\Store", "Path", { type: "REG_SZ", value: "C:\\32" }, {
    view: "32",
  });
  memory.setValue("HKLM\\SOFTWARE\\Store", "Build", { type: "REG_DWORD", value: 12 });
  memory.setValue("HKCU\\Software\\Store", "", { type: "REG_SZ", value: "default" });
  const registry = new Registry(memory);
  assertEquals(registry.getString("HKLM\\software\\STORE", "path"), "C:\\64");
  assertEquals(registry.getString("HKLM\\SOFTWARE\\Store", "Path", { view: "64" }), "C:\\64");
  assertEquals(registry.getString("HKLM\\SOFTWARE\\Store", "Path", { view: "32" }), "C:\\32");
  // The 32-bit view is stored under WOW6432Node, where a 64-bit reader finds it too.
  assertEquals(registry.getString("HKLM\\SOFTWARE\\WOW6432Node\\Store", "Path"), "C:\\32");
  // HKCU\Software is shared by both views.
  assertEquals(registry.getString("HKCU\\Software\\Store", "", { view: "32" }), "default");
  assertEquals(registry.getString("HKLM\\SOFTWARE\\Store", "Missing"), null);
  assertEquals(registry.getValue("HKLM\\SOFTWARE\\Nope", "Path"), null);
  assertEquals(registry.listValues("HKLM\\SOFTWARE\\Nope"), null);
  assertEquals(registry.listSubkeys("HKLM\\SOFTWARE\\Nope"), null);
  assert(!registry.hasKey("HKLM\\SOFTWARE\\Nope") && registry.hasKey("HKLM\\SOFTWARE\\Store"));
  assertThrows(
    () => registry.getString("HKLM\\SOFTWARE\\Store", "Build"),
    (e) =>
      e instanceof RegistryError &&
      e.message === "HKLM\\SOFTWARE\\Store\\Build is REG_DWORD, not a string",
  );
  assertEquals(registry.listValues("HKLM\\SOFTWARE\\Store"), [
    { name: "Path", type: "REG_SZ", value: "C:\\64" },
    { name: "Build", type: "REG_DWORD", value: 12 },
  ]);
  assertEquals(registry.listSubkeys("HKLM\\SOFTWARE"), ["Store", "WOW6432Node"]);
  memory.setValue("HKCU\\Software\\Store", "Saves", {
    type: "REG_EXPAND_SZ",
    value: "%LocalAppData%\\Store\\%UNSET%",
  });
  const env = (name: string) =>
    name.toUpperCase() === "LOCALAPPDATA" ? "C:\\Users\\Me\\AppData\\Local" : undefined;
  assertEquals(
    registry.getString("HKCU\\Software\\Store", "Saves"),
    "%LocalAppData%\\Store\\%UNSET%",
  );
  assertEquals(
    registry.getString("HKCU\\Software\\Store", "Saves", { expand: true, env }),
    "C:\\Users\\Me\\AppData\\Local\\Store\\%UNSET%",
  );
  // A REG_SZ is never expanded: only REG_EXPAND_SZ asks for it.
  memory.setValue("HKCU\\Software\\Store", "Plain", { type: "REG_SZ", value: "%LocalAppData%" });
  assertEquals(
    registry.getString("HKCU\\Software\\Store", "Plain", { expand: true, env }),
    "%LocalAppData%",
  );
});

Deno.test("without a backend, the registry says it is Windows-only", () => {
  if (Deno.build.os === "windows") return;
  assertThrows(() => new Registry(), (e) =>
    e instanceof RegistryError &&
    e.message.startsWith(`the registry is Windows-only (this system is ${Deno.build.os})`));
  assertThrows(() => installedPrograms(), (e) => e instanceof RegistryError);
});

Deno.test("the monitor reports the first look, each change under the key, appearing and deletion", () => {
  const memory = new MemoryRegistry();
  const registry = new Registry(memory);
  const monitor = registry.monitor(`HKLM\\${UNINSTALL_KEY}`);
  assertEquals(monitor.hasChanged(), false, "no key yet");
  memory.createKey(`HKLM\\${UNINSTALL_KEY}`);
  assertEquals(monitor.hasChanged(), true, "the key appeared");
  assertEquals(monitor.hasChanged(), false);
  memory.setValue(`HKLM\\${UNINSTALL_KEY}\\Game\\Deep`, "X", { type: "REG_DWORD", value: 1 });
  assertEquals(monitor.hasChanged(), true, "a change two levels down");
  assertEquals(monitor.hasChanged(), false);
  memory.setValue("HKLM\\SOFTWARE\\Other", "X", { type: "REG_DWORD", value: 1 });
  memory.setValue(`HKLM\\${UNINSTALL_KEY}`, "X", { type: "REG_DWORD", value: 1 }, { view: "32" });
  assertEquals(
    monitor.hasChanged(),
    false,
    "changes elsewhere, and in the other view, are not seen",
  );
  memory.deleteKey(`HKLM\\${UNINSTALL_KEY}\\Game`);
  assertEquals(monitor.hasChanged(), true, "a subkey deleted");
  memory.deleteKey("HKLM\\SOFTWARE\\Microsoft");
  assertEquals(monitor.hasChanged(), true, "the key itself deleted");
  assertEquals(monitor.hasChanged(), false, "gone, and not back");
  memory.createKey(`HKLM\\${UNINSTALL_KEY}`);
  assertEquals(monitor.hasChanged(), true, "back again");
  monitor.close();

  const existing = registry.monitor("HKLM\\SOFTWARE\\Other");
  assertEquals(existing.hasChanged(), true, "the first look at an existing key");
  assertEquals(existing.hasChanged(), false);
  existing.close();
});

Deno.test("installed programs: both views of HKLM and HKCU, merged, without nameless entries", () => {
  const memory = new MemoryRegistry();
  const set = (hive: string, key: string, values: Record<string, string>, view?: "32") => {
    for (const [name, value] of Object.entries(values)) {
      const type = value.includes("%") ? "REG_EXPAND_SZ" : "REG_SZ";
      memory.setValue(`${hive}\\${UNINSTALL_KEY}\\${key}`, name, { type, value }, { view });
    }
  };
  set("HKLM", "{11111111-2222}", {
    DisplayName: "Big Game ",
    Publisher: "Store Inc.",
    InstallLocation: '"C:\\Games\\Big Game\\"',
    UninstallString: '"C:\\Games\\Big Game\\unins000.exe" /SILENT',
    DisplayVersion: "1.2",
  });
  set("HKLM", "Store 1001", { DisplayName: "Old Game", InstallLocation: "C:\\Old" }, "32");
  set("HKLM", "{11111111-2222}", { DisplayName: "Another 32-bit program" }, "32");
  set("HKLM", "KB12345", { UninstallString: "msiexec /x" });
  memory.setValue(`HKLM\\${UNINSTALL_KEY}\\Odd`, "DisplayName", { type: "REG_DWORD", value: 3 });
  set("HKCU", "Store 2002", {
    DisplayName: "User Game",
    InstallLocation: "%LOCALAPPDATA%\\Store\\2002",
    DisplayIcon: "C:\\u\\game.exe,0",
  });
  const programs = installedPrograms(new Registry(memory));
  assertEquals(programs.map((p) => [p.hive, p.view, p.keyName, p.displayName]), [
    ["HKLM", "64", "{11111111-2222}", "Big Game"],
    ["HKLM", "32", "Store 1001", "Old Game"],
    ["HKLM", "32", "{11111111-2222}", "Another 32-bit program"],
    ["HKCU", "64", "Store 2002", "User Game"],
  ]);
  assertEquals(programs[0], {
    keyName: "{11111111-2222}",
    key: `HKLM\\${UNINSTALL_KEY}\\{11111111-2222}`,
    hive: "HKLM",
    view: "64",
    displayName: "Big Game",
    publisher: "Store Inc.",
    installLocation: "C:\\Games\\Big Game\\",
    uninstallString: '"C:\\Games\\Big Game\\unins000.exe" /SILENT',
    displayVersion: "1.2",
    displayIcon: null,
  });
  assertEquals(programs[3].installLocation, "%LOCALAPPDATA%\\Store\\2002");
  assertEquals(programs[3].displayIcon, "C:\\u\\game.exe,0");
  assertEquals(programs[1].publisher, null);
});
