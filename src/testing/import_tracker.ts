/**
 * The bookkeeping of one batched import seen from Galaxy's side: which ids were asked, what
 * each got, and whether what came fits the protocol (one outcome per id, pages joined).
 *
 * @module
 */
import { isRecord, type WireError } from "../wire/mod.ts";
import type { ImportSpec } from "./galaxy_protocol.ts";
import { type ImportRun, type Notification, type Violation, ViolationKind } from "./peer_types.ts";

/**
 * One running import: takes its notifications in arrival order and fills its
 * {@linkcode ImportRun}. Every step costs the same whatever the number of ids: ids are
 * looked up in a set, and a page is appended to its id's list in place.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IMPORT_SPECS } from "@galaxy-ts/runtime/testing";
 * import { ImportTracker } from "@galaxy-ts/runtime/testing";
 * const tracker = new ImportTracker(IMPORT_SPECS.get("start_game_times_import")!, ["1"]);
 * const success = { method: "game_time_import_success", params: {}, data: { gameTime: { gameId: "1" } } };
 * assert.deepEqual(tracker.take(success), []);
 * const twice = tracker.take(success);
 * assert(twice[0].kind === "repeated-id");
 * ```
 */
export class ImportTracker {
  /** What the import produced so far. */
  readonly run: ImportRun;
  readonly #asked: ReadonlySet<string>;
  /** Ids that have had their outcome: a failure, or (not paged) a success, or their pages' end. */
  readonly #closed = new Set<string>();

  /** Starts tracking an import of `spec` asked for `ids`. */
  constructor(spec: ImportSpec, ids: readonly string[]) {
    this.run = {
      spec,
      ids: [...ids],
      values: {},
      errors: {},
      notifications: [],
      finished: false,
    };
    this.#asked = new Set(this.run.ids);
  }

  /**
   * Takes one notification of this import and returns what is wrong with it (nothing, most
   * often). After `*_import_finished`, `run.finished` is true.
   *
   * @param n The notification, checked already (`data` is absent when its params were malformed).
   * @returns The violations it shows, in the order found.
   */
  take(n: Notification): Violation[] {
    const { run } = this;
    const { spec } = run;
    const problems: Violation[] = [];
    run.notifications.push(n);
    if (n.method === spec.finished) {
      run.finished = true;
      const missing = run.ids.filter((id) => !(id in run.values) && !(id in run.errors));
      if (missing.length > 0) {
        problems.push({
          kind: ViolationKind.IncompleteImport,
          message: `${spec.finished} sent with no success or failure for ${
            missing.map((id) => JSON.stringify(id)).join(", ")
          }`,
        });
      }
      return problems;
    }
    let id: string;
    if (n.method === spec.failure) {
      if (!isRecord(n.params)) return problems;
      id = String(n.params[spec.idKey]);
      this.#repeat(n.method, id, problems);
      run.errors[id] = n.params.error as WireError;
      this.#closed.add(id);
    } else if (n.method === spec.partial) {
      if (!isRecord(n.params)) return problems;
      id = String(n.params[spec.idKey]);
      this.#closed.add(id);
    } else {
      if (!n.data) return problems;
      const element = spec.element(n.data);
      id = element.id;
      this.#repeat(n.method, id, problems);
      if (spec.paged) {
        const pages = (run.values[id] ??= []) as unknown[];
        for (const item of element.value as unknown[]) pages.push(item);
      } else {
        run.values[id] = element.value;
        this.#closed.add(id);
      }
    }
    if (!this.#asked.has(id)) {
      problems.push({
        kind: ViolationKind.StrayImportNotification,
        message: `${n.method} for ${JSON.stringify(id)}, which was not asked for`,
      });
    }
    return problems;
  }

  #repeat(method: string, id: string, problems: Violation[]): void {
    if (!this.#closed.has(id)) return;
    const before = id in this.run.errors ? "a failure" : "a success";
    problems.push({
      kind: ViolationKind.RepeatedId,
      message: `${method} for ${
        JSON.stringify(id)
      } after ${before} for it: Galaxy takes one outcome per id`,
    });
  }
}
