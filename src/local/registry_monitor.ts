/**
 * "Has this registry key changed since I last asked?", for polling from `tick`, as the
 * reference SDK's `galaxy.registry_monitor.RegistryMonitor.is_updated()` answers it.
 *
 * @module
 */
import type { Hive, RegistryBackend, RegistryView, RegistryWatch } from "./registry_backend.ts";

/**
 * Watches one key and everything under it. {@linkcode RegistryMonitor.hasChanged} is true on
 * the first call when the key exists (so the first scan runs), then after any change under
 * the key, once when a missing key appears, and once when the key is deleted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryRegistry, Registry } from "@galaxy-ts/runtime/local";
 * const memory = new MemoryRegistry();
 * const monitor = new Registry(memory).monitor("HKCU\\Software\\Store");
 * assert(!monitor.hasChanged()); // no key yet
 * memory.setValue("HKCU\\Software\\Store", "Path", { type: "REG_SZ", value: "C:\\S" });
 * assert(monitor.hasChanged() && !monitor.hasChanged());
 * monitor.close();
 * ```
 */
export class RegistryMonitor {
  #backend: RegistryBackend;
  #hive: Hive;
  #path: string;
  #view: RegistryView | undefined;
  #watch: RegistryWatch | null = null;

  /**
   * Creates the monitor; it opens the key on the first {@linkcode RegistryMonitor.hasChanged}.
   *
   * @param backend The registry.
   * @param hive The key's hive.
   * @param path The key's path under the hive.
   * @param view The registry view.
   */
  constructor(backend: RegistryBackend, hive: Hive, path: string, view?: RegistryView) {
    this.#backend = backend;
    this.#hive = hive;
    this.#path = path;
    this.#view = view;
  }

  /**
   * Whether the key changed since the last call (see the class docs for the first call and
   * a missing key).
   *
   * @returns True when the caller should read the key again.
   */
  hasChanged(): boolean {
    if (this.#watch === null) {
      this.#watch = this.#backend.watch(this.#hive, this.#path, this.#view);
      return this.#watch !== null;
    }
    const state = this.#watch.poll();
    if (state === "gone") {
      this.#watch.close();
      this.#watch = null;
    }
    return state !== "unchanged";
  }

  /** Stops watching; a later {@linkcode RegistryMonitor.hasChanged} starts again. */
  close(): void {
    this.#watch?.close();
    this.#watch = null;
  }
}
