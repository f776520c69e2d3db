// Local games of the example store on Windows, the way Windows store integrations find
// theirs: the store's installer registers each game under the Uninstall keys as
// "ExampleStore_<game id>", with the game's executable as its DisplayIcon. The integration
// lists them with installedPrograms(), re-reads the registry only when a RegistryMonitor
// says the Uninstall keys changed, and tells a running game by its executable.
//
// Everything reads through a Registry, so the tests give it a MemoryRegistry and run here
// (on Linux); on Windows `new Registry()` reads the real one, through FFI. Permissions in
// the integration's deno.json: "ffi": true (registry, process list on Windows), and
// "run": ["rundll32.exe"] to launch through the store's URL scheme.
import {
  findProcesses,
  installedPrograms,
  launch,
  listProcesses,
  LocalGamesPoller,
  type ProcessInfo,
  Registry,
  type RegistryMonitor,
  UNINSTALL_KEY,
} from "../src/local/mod.ts";
import { type LocalGame, LocalGameState, Platform, Plugin } from "../mod.ts";

/** How the store names its games' Uninstall keys. */
export const KEY_PREFIX = "ExampleStore_";

/** An installed game: its id and its executable, when the installer recorded one. */
export interface InstalledGame {
  gameId: string;
  exe: string | null;
}

/** Where the local games come from; every part replaceable in tests. */
export interface LocalGamesSources {
  registry: Registry;
  processes?: () => Promise<ProcessInfo[]>;
  /** How paths compare (case and slashes on Windows). */
  os?: typeof Deno.build.os;
}

/** `C:\Games\x\game.exe,0` or `"C:\Games\x\game.exe"` as the executable's path. */
export function iconExecutable(displayIcon: string | null): string | null {
  if (!displayIcon) return null;
  const path = displayIcon.replace(/,\s*-?\d+$/, "").replace(/^"(.*)"$/, "$1").trim();
  return /\.exe$/i.test(path) ? path : null;
}

/** The store's installed games, read again only after the Uninstall keys changed. */
export class ExampleLocalGames {
  #sources: LocalGamesSources;
  #monitors: RegistryMonitor[];
  #installed: InstalledGame[] = [];

  constructor(sources: LocalGamesSources) {
    this.#sources = sources;
    this.#monitors = ["HKLM", "HKCU"].flatMap((hive) =>
      (["64", "32"] as const).map((view) =>
        sources.registry.monitor(`${hive}\\${UNINSTALL_KEY}`, { view })
      )
    );
  }

  /** The installed games; the registry is read when a monitor saw a change (or first). */
  installed(): InstalledGame[] {
    // Every monitor is asked, so that each one's "changed" is consumed.
    const changed = this.#monitors.map((m) => m.hasChanged()).some(Boolean);
    if (changed) {
      this.#installed = installedPrograms(this.#sources.registry)
        .filter((p) => p.keyName.startsWith(KEY_PREFIX))
        .map((p) => ({
          gameId: p.keyName.slice(KEY_PREFIX.length),
          exe: iconExecutable(p.displayIcon),
        }));
    }
    return this.#installed;
  }

  /** Each installed game, Running too when a process runs its executable. */
  async scan(): Promise<LocalGame[]> {
    const games = this.installed();
    const processes = await (this.#sources.processes ?? listProcesses)();
    return games.map(({ gameId, exe }) => ({
      gameId,
      localGameState: LocalGameState.Installed |
        (exe && findProcesses(processes, exe, this.#sources.os).length
          ? LocalGameState.Running
          : LocalGameState.None),
    }));
  }

  close(): void {
    for (const monitor of this.#monitors) monitor.close();
  }
}

/** The local half of the example store's integration. */
export class ExampleLocalPlugin extends Plugin {
  readonly localGames: ExampleLocalGames;
  #poller: LocalGamesPoller;

  constructor(sources: LocalGamesSources = { registry: new Registry() }) {
    super(Platform.Generic, "1.0.0");
    this.localGames = new ExampleLocalGames(sources);
    this.#poller = new LocalGamesPoller({
      scan: () => this.localGames.scan(),
      onChange: (game) => this.updateLocalGameStatus(game),
    });
  }

  override getLocalGames(): Promise<LocalGame[]> {
    return this.#poller.snapshot();
  }

  override async tick(): Promise<void> {
    await this.#poller.poll();
  }

  override async launchGame(gameId: string): Promise<void> {
    await launch(`examplestore://run/${gameId}`);
  }

  override shutdown(): void {
    this.localGames.close();
  }
}
