// `deno task fuzz [--cases N] [--seed S|random] [--save DIR | --no-save] [--heap MB]`:
// throws generated hostile input at the fixture integration over real TCP and prints, as its
// last line, how many crashes, hangs and malformed answers it saw. Failing cases are saved
// (by default in tests/fuzz/cases/, which the test suite replays). --heap caps the
// integration's V8 heap, so that a leak over many cases shows as a crash.
import { parseArgs } from "node:util";
import { type FuzzCase, generate, type Kind, KINDS, sweep } from "./generate.ts";
import { FuzzTarget, type Problem } from "./driver.ts";
import { CASES_DIR, saveCase } from "./saved.ts";

/** Counts of one run. */
export interface FuzzSummary {
  cases: number;
  crashes: number;
  hangs: number;
  malformed: number;
  byKind: Record<string, number>;
  failures: { index: number; problem: Problem; file?: string }[];
  /** The integration's resident memory after the last case, in bytes (0 if unknown). */
  finalRss: number;
}

/** Runs `cases` generated cases from `seed` against one fixture process (restarted after a crash or hang). */
export async function fuzz(options: {
  seed: number;
  cases: number;
  save?: URL | null;
  /** Caps the integration's V8 heap (MB): a leak then shows as a crash. */
  heapMb?: number;
  onProgress?: (done: number, summary: FuzzSummary) => void;
}): Promise<FuzzSummary> {
  const summary: FuzzSummary = {
    cases: 0,
    crashes: 0,
    hangs: 0,
    malformed: 0,
    byKind: Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])),
    failures: [],
    finalRss: 0,
  };
  let target = await FuzzTarget.start(options.heapMb);
  let previous: FuzzCase | null = null;
  // The sweep of every method with every wrong param comes first, whatever the seed.
  const fixed = sweep();
  try {
    for (let index = 0; index < options.cases; index++) {
      const c = index < fixed.length ? fixed[index] : generate(options.seed, index);
      summary.byKind[c.kind as Kind]++;
      const problem = await target.runCase(c);
      summary.cases++;
      if (problem) {
        if (problem.kind === "crash") summary.crashes++;
        else if (problem.kind === "hang") summary.hangs++;
        else summary.malformed++;
        const failure: FuzzSummary["failures"][number] = { index, problem };
        if (options.save) {
          failure.file = await saveCase({
            seed: options.seed,
            index,
            problem: `${problem.kind}: ${problem.detail}`.slice(0, 2000),
            cases: previous ? [previous, c] : [c],
          }, options.save);
        }
        summary.failures.push(failure);
        if (problem.kind !== "malformed" || !target.alive) {
          await target.close();
          target = await FuzzTarget.start(options.heapMb);
        }
      }
      previous = c;
      options.onProgress?.(index + 1, summary);
    }
    summary.finalRss = await target.rss();
  } finally {
    await target.close();
  }
  return summary;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cases: { type: "string", default: "10000" },
      seed: { type: "string", default: "1" },
      save: { type: "string" },
      "no-save": { type: "boolean", default: false },
      heap: { type: "string" },
    },
  });
  const cases = Number(values.cases);
  const seed = values.seed === "random"
    ? crypto.getRandomValues(new Uint32Array(1))[0]
    : Number(values.seed);
  if (!Number.isInteger(cases) || cases < 1 || !Number.isInteger(seed) || seed < 0) {
    console.error(
      "fuzz: --cases needs a positive integer, --seed a non-negative integer or 'random'",
    );
    Deno.exit(2);
  }
  const save = values["no-save"]
    ? null
    : values.save
    ? new URL(values.save.replace(/\/?$/, "/"), `file://${Deno.cwd()}/`)
    : CASES_DIR;
  console.log(`fuzz: ${cases} cases, seed ${seed}`);
  const started = performance.now();
  const summary = await fuzz({
    seed,
    cases,
    save,
    heapMb: values.heap ? Number(values.heap) : undefined,
    onProgress: (done, s) => {
      if (done % 1000 === 0) {
        console.log(
          `  ${done} cases, ${
            ((performance.now() - started) / 1000).toFixed(1)
          } s, ${s.failures.length} failures`,
        );
      }
    },
  });
  for (const f of summary.failures) {
    console.log(
      `case ${f.index}: ${f.problem.kind}: ${f.problem.detail.slice(0, 500)}${
        f.file ? `\n  saved as ${f.file}` : ""
      }`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `classes: ${Object.entries(summary.byKind).map(([k, n]) => `${k} ${n}`).join(", ")}; ${
      seconds.toFixed(1)
    } s${
      summary.finalRss
        ? `; integration RSS at the end ${(summary.finalRss / 2 ** 20).toFixed(0)} MB`
        : ""
    }`,
  );
  console.log(
    `fuzz: ${summary.cases} cases, seed ${seed}: ${summary.crashes} crashes, ${summary.hangs} hangs, ${summary.malformed} malformed answers`,
  );
  Deno.exit(summary.failures.length > 0 ? 1 : 0);
}
