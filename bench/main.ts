/**
 * `deno task bench [--quick] [--rounds N] [--only a,b] [--show-stderr]`: runs every
 * workload against the fixture (A), its built bundle (A, second row) and the hand-written
 * lean plugin (B), alternately A B A B…, checks every answer, and prints the table.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { buildFixtureBundle } from "./bundle.ts";
import { Peer } from "./peer.ts";
import { scaling, type Series, table } from "./report.ts";
import { runtimeBundleSizes, sized, type SizedFile, sizeTable } from "./sizes.ts";
import {
  BURST_RSS_MIB,
  count,
  FULL,
  QUICK,
  type Sizes,
  type Start,
  type Workload,
  workloads,
} from "./workloads.ts";

/** An integration under test. */
export interface Contender {
  /** Its name in the table. */
  readonly name: string;
  /** The command that runs it (token and port are appended). */
  readonly command: readonly string[];
  /** The lean plugin is the reference (B) of every ratio. */
  readonly reference: boolean;
}

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Sizes of the workloads. */
  readonly sizes: Sizes;
  /** Rounds of A B A B…. */
  readonly rounds: number;
  /** Groups or names of the workloads to run; all when empty. */
  readonly only?: readonly string[];
  /** The contenders, in the order they alternate. */
  readonly contenders: readonly Contender[];
  /** Let the integrations' stderr through. */
  readonly showStderr?: boolean;
  /** Called after each run (progress). */
  readonly onSample?: (workload: string, contender: string, ms: number) => void;
}

const ROOT = new URL("../", import.meta.url);
const DENO = Deno.execPath();

/** The fixture under `deno run`, as authors run it while developing. */
export const FIXTURE: Contender = {
  name: "fixture",
  command: [DENO, "run", "-A", "tests/fixtures/fixture_plugin.ts"],
  reference: false,
};

/** The hand-written integration of `bench/lean_plugin.ts`, the ceiling to measure against. */
export const LEAN: Contender = {
  name: "lean",
  command: [DENO, "run", "-A", new URL("./lean_plugin.ts", import.meta.url).pathname],
  reference: true,
};

/**
 * Runs the workloads and returns every series, checking every answer (a wrong answer
 * throws, naming the workload and the contender).
 *
 * @example
 * ```ts ignore
 * import { FIXTURE, LEAN, runBench } from "./main.ts";
 * import { QUICK } from "./workloads.ts";
 * const series = await runBench({ sizes: QUICK, rounds: 1, contenders: [FIXTURE, LEAN] });
 * console.log(series.length);
 * ```
 */
export async function runBench(options: BenchOptions): Promise<Series[]> {
  const selected = workloads(options.sizes).filter((w) =>
    !options.only?.length || options.only.includes(w.group) || options.only.includes(w.name)
  );
  const series: Series[] = [];
  for (const workload of selected) {
    const contenders = options.contenders.filter((c) => workload.lean || !c.reference);
    const runs = new Map<Contender, Series>(contenders.map((c) => [c, {
      workload: workload.name,
      contender: c.name,
      reference: c.reference,
      target: workload.target,
      samples: [],
    }]));
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < workload.repeat; k++) {
        for (const contender of contenders) {
          const sample = await measure(workload, contender, options);
          runs.get(contender)!.samples.push(sample);
          options.onSample?.(workload.name, contender.name, sample.ms);
        }
      }
    }
    series.push(...runs.values());
  }
  return series;
}

function measure(workload: Workload, contender: Contender, options: BenchOptions) {
  const start: Start = (env, pace) =>
    Peer.start({
      command: contender.command,
      env,
      pace,
      cwd: ROOT.pathname,
      showStderr: options.showStderr,
    });
  return workload.measure(start).catch((error) => {
    throw new Error(`${contender.name}: ${error instanceof Error ? error.message : error}`);
  });
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      only: { type: "string" },
      "show-stderr": { type: "boolean", default: false },
      profile: { type: "string" },
      with: { type: "string", multiple: true },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: deno task bench [--quick] [--rounds N] [--only startup,owned,gametimes,…]\n" +
        "  --quick        a tenth of the sizes, one round: checks answers (CI), not timings\n" +
        "  --rounds N     rounds of A B A B… (default 3, 1 with --quick)\n" +
        "  --only LIST    workload groups or names: startup, owned, gametimes, achievements,\n" +
        "                 bigcache, pingpong, flood, burst, scaling, sizes (of the bundles)\n" +
        "  --show-stderr  let the integrations' logs through\n" +
        "  --profile DIR  write a V8 CPU profile of every fixture and bundle run into DIR\n" +
        "  --with N=FILE  one more integration to measure, as N (repeatable; experiments);\n" +
        "                 FILE may start with deno run flags: 'n=--v8-flags=… file.ts'",
    );
    return 0;
  }
  const rounds = Number(values.rounds ?? (values.quick ? 1 : 3));
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`bench: --rounds must be a positive integer, got ${values.rounds}`);
    return 2;
  }
  const sizes = values.quick ? QUICK : FULL;
  const only = values.only?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  const known = new Set([...workloads(sizes).flatMap((w) => [w.group, w.name]), "sizes"]);
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length) {
    console.error(`bench: unknown workload ${unknown.join(", ")}; try --help`);
    return 2;
  }

  if (values.profile) await Deno.mkdir(values.profile, { recursive: true });
  const profile = values.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${await Deno.realPath(values.profile)}`]
    : [];
  const contenders: Contender[] = [
    { ...FIXTURE, command: [DENO, "run", "-A", ...profile, ...FIXTURE.command.slice(3)] },
  ];
  const bundle = await buildFixtureBundle();
  const files: SizedFile[] = [];
  if ("path" in bundle) {
    files.push(await sized("fixture bundle (galaxy build)", bundle.path));
    contenders.push({
      name: "bundle",
      command: [DENO, "run", "-A", ...profile, bundle.path],
      reference: false,
    });
  } else {
    console.log(`bundle row skipped: ${bundle.skipped}`);
  }
  for (const extra of values.with ?? []) {
    const cut = extra.indexOf("=");
    const [name, file] = [extra.slice(0, Math.max(cut, 0)), extra.slice(cut + 1)];
    if (!name || !file) {
      console.error(`bench: --with wants NAME=FILE, got ${extra}`);
      return 2;
    }
    const config = `--config=${new URL("deno.json", ROOT).pathname}`;
    contenders.push({
      name,
      command: [DENO, "run", "-A", config, ...profile, ...file.split(" ")],
      reference: false,
    });
  }
  contenders.push(LEAN);

  const began = performance.now();
  console.log(
    `deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} cores, load ${loadAverage()}; ` +
      `${rounds} round(s) of ${contenders.map((c) => c.name).join(" ")}${
        values.quick ? " (quick)" : ""
      }`,
  );
  let series: Series[];
  try {
    series = await runBench({
      sizes,
      rounds,
      only,
      contenders,
      showStderr: values["show-stderr"],
      onSample: (w, c, ms) =>
        Deno.stderr.writeSync(new TextEncoder().encode(`${w} ${c} ${ms.toFixed(0)} ms\n`)),
    });
  } catch (error) {
    console.error(`bench: a wrong answer: ${error instanceof Error ? error.message : error}`);
    return 1;
  } finally {
    if ("dir" in bundle) await Deno.remove(bundle.dir, { recursive: true });
  }
  console.log();
  console.log(
    table(series.filter((s) => !s.workload.startsWith("owned ") || !isScaling(s, sizes))),
  );
  const owned = new Map(
    [...sizes.scaling, sizes.owned].map((n) => [`owned ${count(n)}`, n] as [string, number]),
  );
  const scaled = series.filter((s) => owned.has(s.workload));
  if (sizes.scaling.length && scaled.some((s) => isScaling(s, sizes))) {
    console.log("\nScaling of owned games (time per game should stay flat):\n");
    console.log(table(scaled.filter((s) => isScaling(s, sizes))));
    console.log();
    console.log(scaling(scaled, owned));
  }
  const largest = `burst ${count(Math.max(...sizes.bursts))}`;
  for (const s of series.filter((s) => s.workload === largest)) {
    const peak = Math.max(...s.samples.map((x) => x.rssKiB ?? NaN)) / 1024;
    console.log(
      `\n${largest}, ${s.contender}: peak RSS ${peak.toFixed(0)} MiB (target < ${BURST_RSS_MIB}): ${
        peak < BURST_RSS_MIB ? "met" : Number.isNaN(peak) ? "n/a" : "**over**"
      }`,
    );
  }
  if (!only.length || only.includes("sizes")) {
    try {
      files.push(...await runtimeBundleSizes());
    } catch (error) {
      console.log(`\nruntime bundle not sized: ${error instanceof Error ? error.message : error}`);
    }
  }
  if (files.length) {
    console.log(`\nSizes (galaxy build, galaxy bundle-runtime):\n\n${sizeTable(files)}`);
  }
  console.log(
    `\nAll answers checked. ${
      ((performance.now() - began) / 1000).toFixed(0)
    } s, load ${loadAverage()}.`,
  );
  return 0;
}

function isScaling(s: Series, sizes: Sizes): boolean {
  return sizes.scaling.some((n) => s.workload === `owned ${count(n)}`);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
