import { assert, assertEquals } from "../../tests/assert.ts";
import { findProcesses, listProcesses } from "./mod.ts";
import { parseLinuxPs } from "./processes_linux.ts";
import { parsePsOutput } from "./processes_macos.ts";

Deno.test("the listing holds this test process with its real executable path", async () => {
  const processes = await listProcesses();
  const self = processes.find((p) => p.pid === Deno.pid);
  assert(self, "this process is listed");
  assertEquals(self.path, await Deno.realPath(Deno.execPath()));
  assertEquals(self.name, self.path!.slice(self.path!.lastIndexOf("/") + 1));
  assert(processes.length > 1);
});

Deno.test("a child process is found by its executable while it runs, and not after", async () => {
  const sleep = await Deno.realPath("/bin/sleep");
  const child = new Deno.Command(sleep, { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  try {
    const found = findProcesses(await listProcesses(), sleep);
    assert(found.some((p) => p.pid === child.pid), "the child is listed under its path");
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  const after = await listProcesses();
  assert(!after.some((p) => p.pid === child.pid), "the ended child is gone");
});

Deno.test("path comparison follows each system's rules", () => {
  const processes = [{ pid: 1, name: "Game.exe", path: "C:\\Games\\Game.exe" }];
  assertEquals(findProcesses(processes, "c:/games/GAME.EXE", "windows").length, 1);
  assertEquals(findProcesses(processes, "c:/games/GAME.EXE", "linux").length, 0);
  assertEquals(parsePsOutput("1 launchd\n  77 /Apps/A B.app/Contents/MacOS/A B\n"), [
    { pid: 1, name: "launchd", path: null },
    { pid: 77, name: "A B", path: "/Apps/A B.app/Contents/MacOS/A B" },
  ]);
});

Deno.test("procps output: padded names, spaces in paths, unreadable and deleted executables", () => {
  const text = [
    "      1 systemd         /usr/lib/systemd/systemd",
    "   4242 My Game x64     /opt/My Game/game x64",
    "     77 kthreadd        -",
    "    900 old             /opt/old/bin/old (deleted)",
    // A name ps printed wider than its column (escaped bytes): the path is still found.
    "    901 g\\303\\251me-\\303\\251t\\303\\251 /opt/g/game",
    "garbage line",
    "",
  ].join("\n");
  assertEquals(parseLinuxPs(text), [
    { pid: 1, name: "systemd", path: "/usr/lib/systemd/systemd" },
    { pid: 4242, name: "game x64", path: "/opt/My Game/game x64" },
    { pid: 77, name: "kthreadd", path: null },
    { pid: 900, name: "old", path: "/opt/old/bin/old" },
    { pid: 901, name: "game", path: "/opt/g/game" },
  ]);
});
