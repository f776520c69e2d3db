/**
 * A registry in memory, behind the same seam as the Windows one: for an integration's tests
 * on any system, and for ours. It behaves as Windows does where the helpers depend on it:
 * names of keys and values ignore case and keep the case they were created with, the 32-bit
 * view of `HKLM\SOFTWARE` is its `WOW6432Node` subkey, and a watch sees every change under
 * its key.
 *
 * @module
 */
import type {
  Hive,
  RawValue,
  RegistryBackend,
  RegistryView,
  RegistryWatch,
  WatchState,
} from "./registry_backend.ts";
import { parseKey, storedPath } from "./registry_key.ts";
import { encodeValue, type RegistryValue } from "./registry_values.ts";

interface Node {
  name: string;
  children: Map<string, Node>;
  values: Map<string, RawValue>;
  /** The last change at or under this key, from the registry's change counter. */
  changed: number;
  deleted: boolean;
}

function node(name: string, changed: number): Node {
  return { name, children: new Map(), values: new Map(), changed, deleted: false };
}

/** Options of {@linkcode MemoryRegistry}'s writes. */
export interface MemoryWriteOptions {
  /** The view written through; unset is the 64-bit view. */
  view?: RegistryView;
}

/**
 * An in-memory registry to test an integration's registry code on any system.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryRegistry, Registry } from "@galaxy-ts/runtime/local";
 * const memory = new MemoryRegistry();
 * memory.setValue("HKLM\\SOFTWARE\\Store", "InstallDir", { type: "REG_SZ", value: "C:\\Store" });
 * const registry = new Registry(memory);
 * assert(registry.getString("HKLM\\SOFTWARE\\Store", "InstallDir") === "C:\\Store");
 * assert(registry.getString("HKLM\\SOFTWARE\\Store", "InstallDir", { view: "32" }) === null);
 * ```
 */
export class MemoryRegistry implements RegistryBackend {
  #roots = new Map<Hive, Node>();
  #counter = 0;

  #find(hive: Hive, path: string, view?: RegistryView, create = false): Node | null {
    let current = this.#roots.get(hive);
    if (!current) {
      if (!create) return null;
      current = node(hive, this.#counter);
      this.#roots.set(hive, current);
    }
    const parts = storedPath(hive, path, view).split("\\").filter((p) => p !== "");
    const trail = [current];
    for (const part of parts) {
      let next: Node | undefined = current.children.get(part.toLowerCase());
      if (!next) {
        if (!create) return null;
        next = node(part, this.#counter);
        current.children.set(part.toLowerCase(), next);
      }
      current = next;
      trail.push(current);
    }
    if (create) {
      // Creating or writing is a change of the key and of every key above it.
      const stamp = ++this.#counter;
      for (const n of trail) n.changed = stamp;
    }
    return current;
  }

  /**
   * Creates a key (and the keys above it) unless it exists.
   *
   * @param key The key (`HKLM\SOFTWARE\…`).
   * @param options The view written through.
   */
  createKey(key: string, options: MemoryWriteOptions = {}): void {
    const { hive, path } = parseKey(key);
    this.#find(hive, path, options.view, true);
  }

  /**
   * Writes a value, creating its key.
   *
   * @param key The key.
   * @param name The value's name; `""` is the default value.
   * @param value The value.
   * @param options The view written through.
   */
  setValue(key: string, name: string, value: RegistryValue, options: MemoryWriteOptions = {}) {
    const { code, data } = encodeValue(value);
    this.setRaw(key, name, code, data, options);
  }

  /**
   * Writes a value's bytes as they would be stored, to test what odd data decodes to.
   *
   * @param key The key.
   * @param name The value's name.
   * @param code The type code.
   * @param data The bytes.
   * @param options The view written through.
   */
  setRaw(
    key: string,
    name: string,
    code: number,
    data: Uint8Array,
    options: MemoryWriteOptions = {},
  ): void {
    const { hive, path } = parseKey(key);
    const target = this.#find(hive, path, options.view, true)!;
    const existing = target.values.get(name.toLowerCase());
    target.values.set(name.toLowerCase(), {
      name: existing?.name ?? name,
      code,
      data: data.slice(),
    });
  }

  /**
   * Deletes a key and everything under it; nothing happens when it does not exist.
   *
   * @param key The key.
   * @param options The view written through.
   */
  deleteKey(key: string, options: MemoryWriteOptions = {}): void {
    const { hive, path } = parseKey(key);
    const stored = storedPath(hive, path, options.view);
    const cut = stored.lastIndexOf("\\");
    const parent = this.#find(hive, cut < 0 ? "" : stored.slice(0, cut));
    const name = stored.slice(cut + 1).toLowerCase();
    const target = parent?.children.get(name);
    if (!parent || !target) return;
    const mark = (n: Node) => {
      n.deleted = true;
      n.children.forEach(mark);
    };
    mark(target);
    parent.children.delete(name);
    this.#find(hive, cut < 0 ? "" : stored.slice(0, cut), undefined, true);
  }

  /** {@inheritDoc RegistryBackend.subkeys} */
  subkeys(hive: Hive, path: string, view?: RegistryView): string[] | null {
    const found = this.#find(hive, path, view);
    return found && [...found.children.values()].map((c) => c.name);
  }

  /** {@inheritDoc RegistryBackend.values} */
  values(hive: Hive, path: string, view?: RegistryView): RawValue[] | null {
    const found = this.#find(hive, path, view);
    return found && [...found.values.values()].map((v) => ({ ...v, data: v.data.slice() }));
  }

  /** {@inheritDoc RegistryBackend.value} */
  value(hive: Hive, path: string, name: string, view?: RegistryView): RawValue | null {
    const found = this.#find(hive, path, view)?.values.get(name.toLowerCase());
    return found ? { ...found, data: found.data.slice() } : null;
  }

  /** {@inheritDoc RegistryBackend.watch} */
  watch(hive: Hive, path: string, view?: RegistryView): RegistryWatch | null {
    const target = this.#find(hive, path, view);
    if (!target) return null;
    let seen = target.changed;
    let over = false;
    return {
      poll(): WatchState {
        if (over) return "gone";
        if (target.deleted) {
          over = true;
          return "gone";
        }
        if (target.changed === seen) return "unchanged";
        seen = target.changed;
        return "changed";
      },
      close() {
        over = true;
      },
    };
  }
}
