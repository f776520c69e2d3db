/**
 * What Galaxy keeps for an integration between runs, kept by the simulator in a folder
 * (`.galaxy/<platform>/` by default): the persistent cache and the stored credentials.
 *
 * @module
 */
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

  /** Forgets the stored credentials, as logging out in Galaxy does. */
  async forgetCredentials(): Promise<void> {
    this.credentials = undefined;
    if (!this.persist) return;
    await Deno.remove(`${this.dir}/credentials.json`).catch(() => {});
  }

  async #write(name: string, value: unknown): Promise<void> {
    if (!this.persist) return;
    await Deno.mkdir(this.dir, { recursive: true });
    // Credentials and cache hold secrets: readable by the user only.
    const path = `${this.dir}/${name}`;
    const temp = `${path}.tmp`;
    await Deno.writeTextFile(temp, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
    await Deno.rename(temp, path);
  }
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
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // Reported below.
  }
  throw new SimError(`${path} is not a JSON object: delete it, or run with --fresh`);
}
