/**
 * Figures of a benchmark run as a Markdown table: median, min and max, peak RSS, and the
 * ratios of medians to the lean plugin measured in the same run.
 *
 * @module
 */
import type { Sample, Target } from "./workloads.ts";

/** Every sample of one contender on one workload. */
export interface Series {
  /** The workload's name. */
  readonly workload: string;
  /** The contender's name (fixture, bundle, lean). */
  readonly contender: string;
  /** Whether this contender is the reference (B) of the ratios. */
  readonly reference: boolean;
  /** The workload's target. */
  readonly target?: Target;
  /** The measured runs. */
  readonly samples: Sample[];
}

/**
 * The median of `values` (the mean of the middle two for an even count); NaN when empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { median } from "./report.ts";
 * assert(median([3, 1, 2]) === 2);
 * assert(median([4, 1, 2, 3]) === 2.5);
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function mib(kib: number | null): string {
  return kib === null ? "n/a" : (kib / 1024).toFixed(0);
}

function ratio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

function peak(series: Series): number | null {
  const values = series.samples.map((s) => s.rssKiB).filter((v): v is number => v !== null);
  return values.length ? Math.max(...values) : null;
}

function cpuMedian(series: Series): number {
  const values = series.samples.map((s) => s.cpuMs).filter((v): v is number => v !== null);
  return median(values);
}

/** Whether a row meets its target: "met", "over", or "" when it has none. */
function verdict(series: Series, time: number, rss: number): string {
  const { target } = series;
  if (!target || series.reference) return "";
  if (target.bundleOnly && series.contender !== "bundle") return "";
  const ok = time <= target.time && (target.rss === undefined || rss <= target.rss);
  const wanted = `≤ ${target.time}×` + (target.rss ? `, RSS ≤ ${target.rss}×` : "");
  return `${wanted}: ${ok ? "met" : "**over**"}`;
}

/**
 * Formats `series` (grouped by workload, in order) as a Markdown table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { table } from "./report.ts";
 * const text = table([
 *   { workload: "ping", contender: "fixture", reference: false, target: { time: 1.3 },
 *     samples: [{ ms: 12, cpuMs: 9, rssKiB: 2048 }] },
 *   { workload: "ping", contender: "lean", reference: true,
 *     samples: [{ ms: 10, cpuMs: 9, rssKiB: 1024 }] },
 * ]);
 * assert(text.includes("1.20×"));
 * ```
 */
export function table(series: readonly Series[]): string {
  const rows = [
    "| workload | integration | median ms | min–max ms | CPU ms | peak RSS MiB | time ÷ lean | CPU ÷ lean | RSS ÷ lean | target |",
    "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
  ];
  for (const s of series) {
    const times = s.samples.map((x) => x.ms);
    const ref = series.find((r) => r.workload === s.workload && r.reference);
    const time = ref && !s.reference ? median(times) / median(ref.samples.map((x) => x.ms)) : NaN;
    const cpu = cpuMedian(s);
    const cpuRatio = ref && !s.reference ? cpu / cpuMedian(ref) : NaN;
    const own = peak(s);
    const refPeak = ref ? peak(ref) : null;
    const rss = own !== null && refPeak !== null && !s.reference ? own / refPeak : NaN;
    rows.push(
      `| ${s.workload} | ${s.contender} | ${ms(median(times))} | ${ms(Math.min(...times))}–${
        ms(Math.max(...times))
      } | ${Number.isNaN(cpu) ? "n/a" : ms(cpu)} | ${mib(own)} | ${
        s.reference ? "" : ratio(time)
      } | ${s.reference ? "" : ratio(cpuRatio)} | ${s.reference ? "" : ratio(rss)} | ${
        verdict(s, time, rss)
      } |`,
    );
  }
  return rows.join("\n");
}

/**
 * How the owned-games time grows with N, per contender: microseconds per game at each
 * size, and the growth from the smallest to the largest size against linear growth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scaling } from "./report.ts";
 * const text = scaling([
 *   { workload: "owned 10k", contender: "lean", reference: true, samples: [{ ms: 10, cpuMs: 1, rssKiB: 1 }] },
 *   { workload: "owned 40k", contender: "lean", reference: true, samples: [{ ms: 40, cpuMs: 1, rssKiB: 1 }] },
 * ], new Map([["owned 10k", 10_000], ["owned 40k", 40_000]]));
 * assert(text.includes("4.00× for 4×"));
 * ```
 */
export function scaling(series: readonly Series[], sizes: ReadonlyMap<string, number>): string {
  const contenders = [...new Set(series.map((s) => s.contender))];
  const names = [...sizes.keys()].sort((a, b) => sizes.get(a)! - sizes.get(b)!);
  const lines = [
    `| integration | ${names.map((n) => `${n}: µs/game`).join(" | ")} | growth |`,
    `|---|${names.map(() => "--:|").join("")}---|`,
  ];
  for (const contender of contenders) {
    const medians = names.map((name) => {
      const s = series.find((x) => x.contender === contender && x.workload === name);
      return s ? median(s.samples.map((x) => x.ms)) : NaN;
    });
    const perGame = medians.map((m, k) => (m * 1000 / sizes.get(names[k])!).toFixed(2));
    const first = sizes.get(names[0])!;
    const last = sizes.get(names[names.length - 1])!;
    const growth = `${ratio(medians[medians.length - 1] / medians[0])} for ${last / first}×`;
    lines.push(`| ${contender} | ${perGame.join(" | ")} | ${growth} |`);
  }
  return lines.join("\n");
}
