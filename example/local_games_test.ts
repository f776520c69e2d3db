// The example's local games, read from an in-memory registry through the same seam the
// Windows registry sits behind, and pushed to a test Galaxy as they change.
import { assertEquals } from "../tests/assert.ts";
import { connect } from "../src/testing/mod.ts";
import { MemoryRegistry, type ProcessInfo, Registry, UNINSTALL_KEY } from "../src/local/mod.ts";
import { LocalGameState, LogLevel, setLogLevel } from "../mod.ts";
import { ExampleLocalGames, ExampleLocalPlugin, iconExecutable } from "./local_games.ts";

// The session's request log is not this file's subject: keep a passing run quiet.
setLogLevel(LogLevel.Warning);

function install(
  memory: MemoryRegistry,
  hive: "HKLM" | "HKCU",
  gameId: string,
  exe: string | null,
  view?: "32",
) {
  const key = `${hive}\\${UNINSTALL_KEY}\\ExampleStore_${gameId}`;
  memory.setValue(key, "DisplayName", { type: "REG_SZ", value: `Game ${gameId}` }, { view });
  if (exe) memory.setValue(key, "DisplayIcon", { type: "REG_SZ", value: `${exe},0` }, { view });
}

Deno.test("installed games come from the store's Uninstall keys, in every hive and view", async () => {
  const memory = new MemoryRegistry();
  install(memory, "HKLM", "1001", "C:\\Games\\One\\one.exe");
  install(memory, "HKLM", "1002", "C:\\Games\\Two\\two.exe", "32");
  install(memory, "HKCU", "1003", null);
  memory.setValue(`HKLM\\${UNINSTALL_KEY}\\Other Program`, "DisplayName", {
    type: "REG_SZ",
    value: "Not the store's",
  });
  const processes: ProcessInfo[] = [{ pid: 7, name: "two.exe", path: "c:/games/two/TWO.EXE" }];
  const local = new ExampleLocalGames({
    registry: new Registry(memory),
    processes: () => Promise.resolve(processes),
    os: "windows",
  });
  assertEquals(await local.scan(), [
    { gameId: "1001", localGameState: LocalGameState.Installed },
    { gameId: "1002", localGameState: LocalGameState.Installed | LocalGameState.Running },
    { gameId: "1003", localGameState: LocalGameState.Installed },
  ]);
  local.close();
});

Deno.test("the registry is read again only after the Uninstall keys changed", () => {
  const memory = new MemoryRegistry();
  install(memory, "HKLM", "1001", null);
  let reads = 0;
  const counting = new Registry({
    subkeys: (...args) => (reads++, memory.subkeys(...args)),
    values: (...args) => memory.values(...args),
    value: (...args) => memory.value(...args),
    watch: (...args) => memory.watch(...args),
  });
  const local = new ExampleLocalGames({ registry: counting });
  assertEquals(local.installed().map((g) => g.gameId), ["1001"]);
  const afterFirst = reads;
  assertEquals(local.installed().map((g) => g.gameId), ["1001"]);
  assertEquals(reads, afterFirst, "nothing changed: nothing read");
  install(memory, "HKCU", "1005", null);
  assertEquals(local.installed().map((g) => g.gameId), ["1001", "1005"]);
  memory.deleteKey(`HKLM\\${UNINSTALL_KEY}\\ExampleStore_1001`);
  assertEquals(local.installed().map((g) => g.gameId), ["1005"]);
  local.close();
});

Deno.test("Galaxy gets the local games, then each change from tick", async () => {
  const memory = new MemoryRegistry();
  install(memory, "HKLM", "1001", "C:\\Games\\One\\one.exe");
  const processes: ProcessInfo[] = [];
  const plugin = new ExampleLocalPlugin({
    registry: new Registry(memory),
    processes: () => Promise.resolve([...processes]),
    os: "windows",
  });
  await using galaxy = await connect(plugin);
  assertEquals(await galaxy.importLocalGames(), [
    { gameId: "1001", localGameState: LocalGameState.Installed },
  ]);
  install(memory, "HKCU", "1002", null);
  processes.push({ pid: 9, name: "one.exe", path: "C:\\Games\\One\\one.exe" });
  await plugin.tick();
  const running = await galaxy.nextNotification(
    "local_game_status_changed",
    (d) => (d.localGame as { gameId: string }).gameId === "1001",
  );
  const installed = await galaxy.nextNotification(
    "local_game_status_changed",
    (d) => (d.localGame as { gameId: string }).gameId === "1002",
  );
  assertEquals(running.data?.localGame, { gameId: "1001", localGameState: 3 });
  assertEquals(installed.data?.localGame, { gameId: "1002", localGameState: 1 });
});

Deno.test("the executable is read from DisplayIcon", () => {
  assertEquals(iconExecutable('"C:\\G\\game.exe",0'), "C:\\G\\game.exe");
  assertEquals(iconExecutable("C:\\G\\game.exe, -101"), "C:\\G\\game.exe");
  assertEquals(iconExecutable("C:\\G\\icon.ico"), null);
  assertEquals(iconExecutable(null), null);
});
