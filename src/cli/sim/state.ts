/**
 * What Galaxy keeps for an integration between runs, kept by the simulator in a folder
 * (`.galaxy/<platform>/` by default): the persistent cache and the stored credentials.
 *
 * @module
 */
import { isRecord } from "../../log/mod.ts";
import { SimError } from "./errors.ts";

/** The cache and credentials of one integration, on disk. */
export class SimState {
  /** The folder holding the files. */
  readonly dir: string;
  /** Whether changes are written back (false with `--fresh`). */
  readonly persist: boolean;
  /** The persistent cache, as last pushed. */
  cache: Record<string, unknown> = {};
  /** The stored credentials, if any. */
  credentials: Record<string, unknown> | undefined;
  /** The writes in flight, one after another: two pushes never race for one file. */
  #writes: Promise<void> = Promise.resolve();

  private constructor(dir: string, persist: boolean) {
    this.dir = dir;
    this.persist = persist;
  }

  /**
   * Loads the state of the integration for `platform` under `root`; `fresh` starts empty
   * and never writes.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { SimState } from "./state.ts";
   * const root = await Deno.makeTempDir();
   * const state = await SimState.load(root, "generic", false);
   * await state.storeCredentials({ token: "t" });
   * const again = await SimState.load(root, "generic", false);
   * assert(again.credentials?.token === "t");
   * await Deno.remove(root, { recursive: true });
   * ```
   */
  static async load(root: string, platform: string, fresh: boolean): Promise<SimState> {
    const state = new SimState(`${root}/${platform}`, !fresh);
    if (fresh) return state;
    state.cache = await readObject(`${state.dir}/cache.json`) ?? {};
    state.credentials = await readObject(`${state.dir}/credentials.json`);
    return state;
  }

  /** Keeps the credentials the integration stored. */
  async storeCredentials(credentials: Record<string, unknown>): Promise<void> {
    this.credentials = credentials;
    await this.#write("credentials.json", credentials);
  }

  /** Keeps the cache the integration pushed. */
  async storeCache(cache: Record<string, unknown>): Promise<void> {
    this.cache = cache;
    await this.#write("cache.json", cache);
  }

  /** Resolves once every write asked so far is on disk (whether or not it failed). */
  settled(): Promise<void> {
    return this.#writes.catch(() => {});
  }

  /** Forgets the stored credentials, as logging out in Galaxy does. */
  async forgetCredentials(): Promise<void> {
    this.credentials = undefined;
    if (!this.persist) return;
    await Deno.remove(`${this.dir}/credentials.json`).catch(() => {});
  }

  #write(name: string, value: unknown): Promise<void> {
    if (!this.persist) return Promise.resolve();
    const text = JSON.stringify(value, null, 2) + "\n";
    const write = this.#writes.catch(() => {}).then(async () => {
      await Deno.mkdir(this.dir, { recursive: true });
      const path = `${this.dir}/${name}`;
      const temp = `${path}.tmp`;
      await Deno.writeTextFile(temp, text, { mode: 0o600 });
      // Credentials and cache hold secrets: readable by the user only, even when a file
      // left by an older run (whose mode `mode` does not change) was not.
      await restrict(temp);
      await Deno.rename(temp, path);
    });
    this.#writes = write;
    return write;
  }
}

/**
 * Makes `path` readable and writable by its owner only (a no-op on Windows, which has no
 * such modes).
 *
 * @param path The file.
 * @throws {Deno.errors.NotFound} When the file does not exist.
 */
export async function restrict(path: string): Promise<void> {
  if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
}

async function readObject(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text);
    if (isRecord(value)) return value;
  } catch {
    // Reported below.
  }
  throw new SimError(`${path} is not a JSON object: delete it, or run with --fresh`);
}
