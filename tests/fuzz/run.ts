// `deno task fuzz [--cases N] [--seed S|random] [--processes P] [--save DIR | --no-save]
// [--heap MB]`: throws generated hostile input, structure-aware from the method table, at P
// fixture integrations in parallel over real TCP (each a new connection, Galaxy's ids from
// "0"), and prints as its last line the cases run, the findings (crashes, hangs, malformed
// answers, secrets on stderr) and the peak resident memory of the integrations. Failing
// cases are saved (by default in tests/fuzz/cases/, which the test suite replays). --heap
// caps the integration's V8 heap, so that a leak over many cases shows as a crash.
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
  /** Secret markers or the session token seen on an integration's stderr. */
  leaks: number;
  /** Integration processes started (one connection each). */
  connections: number;
  /** The highest peak resident memory (VmHWM) of any integration process, in bytes. */
  peakRss: number;
  byKind: Record<string, number>;
  failures: { index: number; problem: Problem; file?: string }[];
  /** The largest resident memory of an integration after its last case, in bytes. */
  finalRss: number;
}

/**
 * Runs `cases` generated cases from `seed` against `processes` fixture processes at once,
 * each restarted after a crash, a hang or a shutdown (a new connection, ids from "0").
 */
export async function fuzz(options: {
  seed: number;
  cases: number;
  processes?: number;
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
    leaks: 0,
    connections: 0,
    peakRss: 0,
    byKind: Object.fromEntries(Object.keys(KINDS).map((k) => [k, 0])),
    failures: [],
    finalRss: 0,
  };
  // The sweep of every method with every wrong param comes first, whatever the seed.
  const fixed = sweep();
  let next = 0;
  const start = () => {
    summary.connections++;
    return FuzzTarget.start(options.heapMb);
  };
  const retire = async (target: FuzzTarget) => {
    await target.close();
    summary.peakRss = Math.max(summary.peakRss, target.peakRss);
  };
  const record = async (index: number, problem: Problem, cases: FuzzCase[]) => {
    if (problem.kind === "crash") summary.crashes++;
    else if (problem.kind === "hang") summary.hangs++;
    else if (problem.kind === "leak") summary.leaks++;
    else summary.malformed++;
    const failure: FuzzSummary["failures"][number] = { index, problem };
    if (options.save) {
      failure.file = await saveCase({
        seed: options.seed,
        index,
        problem: `${problem.kind}: ${problem.detail}`.slice(0, 2000),
        cases,
      }, options.save);
    }
    summary.failures.push(failure);
  };
  const worker = async () => {
    let target = await start();
    let previous: FuzzCase | null = null;
    try {
      while (next < options.cases) {
        const index = next++;
        const c = index < fixed.length ? fixed[index] : generate(options.seed, index);
        summary.byKind[c.kind as Kind]++;
        const problem = await target.runCase(c);
        summary.cases++;
        if (problem) await record(index, problem, previous ? [previous, c] : [c]);
        const broken = problem?.kind === "crash" || problem?.kind === "hang";
        if (!target.alive || broken) {
          // A shutdown case ends the process on purpose: Galaxy then starts a new one.
          await retire(target);
          target = await start();
          previous = null;
        } else previous = c;
        options.onProgress?.(summary.cases, summary);
      }
      summary.finalRss = Math.max(summary.finalRss, await target.rss());
    } finally {
      await retire(target);
    }
  };
  const processes = Math.max(1, Math.min(options.processes ?? 1, options.cases));
  await Promise.all(Array.from({ length: processes }, worker));
  return summary;
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      cases: { type: "string", default: "10000" },
      seed: { type: "string", default: "1" },
      processes: { type: "string", default: "3" },
      save: { type: "string" },
      "no-save": { type: "boolean", default: false },
      heap: { type: "string" },
    },
  });
  const cases = Number(values.cases);
  const processes = Number(values.processes);
  const seed = values.seed === "random"
    ? crypto.getRandomValues(new Uint32Array(1))[0]
    : Number(values.seed);
  if (
    !Number.isInteger(cases) || cases < 1 || !Number.isInteger(processes) || processes < 1 ||
    !Number.isInteger(seed) || seed < 0
  ) {
    console.error(
      "fuzz: --cases and --processes need a positive integer, --seed a non-negative integer or 'random'",
    );
    Deno.exit(2);
  }
  const save = values["no-save"]
    ? null
    : values.save
    ? new URL(values.save.replace(/\/?$/, "/"), `file://${Deno.cwd()}/`)
    : CASES_DIR;
  const started = performance.now();
  const summary = await fuzz({
    seed,
    cases,
    processes,
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
    } s; ${summary.connections} connections; RSS after the last case ${mib(summary.finalRss)} MiB`,
  );
  console.log(
    `fuzz: ${summary.cases} cases, seed ${seed}, ${processes} processes: ${summary.crashes} crashes, ${summary.hangs} hangs, ${summary.malformed} malformed answers, ${summary.leaks} leaked secrets, peak RSS ${
      mib(summary.peakRss)
    } MiB`,
  );
  Deno.exit(summary.failures.length > 0 ? 1 : 0);
}
