/**
 * `deno run -A bench/profile_summary.ts <file.cpuprofile>… [--top N]`: the functions that
 * took the most self time in V8 CPU profiles (as `deno task bench --profile DIR` writes
 * them), summed over every file given, as a Markdown table.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The parts of a `.cpuprofile` this summary reads. */
export interface CpuProfile {
  /** The call tree's nodes. */
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  /** Node id of each sample. */
  samples: number[];
  /** Microseconds since the previous sample, per sample. */
  timeDeltas: number[];
}

/**
 * Self time in milliseconds per function (`name file:line`), largest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selfTimes } from "./profile_summary.ts";
 * const top = selfTimes([{
 *   nodes: [{ id: 1, callFrame: { functionName: "f", url: "file:///a.ts", lineNumber: 0 } }],
 *   samples: [1, 1],
 *   timeDeltas: [500, 1500],
 * }]);
 * assert(top[0][0] === "f a.ts:1" && top[0][1] === 2);
 * ```
 */
export function selfTimes(profiles: readonly CpuProfile[]): [string, number][] {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const names = new Map<number, string>();
    for (const { id, callFrame: f } of profile.nodes) {
      const file = f.url ? f.url.replace(/^.*\//, "") : "";
      names.set(
        id,
        `${f.functionName || "(anonymous)"}${file ? ` ${file}:${f.lineNumber + 1}` : ""}`,
      );
    }
    for (let k = 0; k < profile.samples.length; k++) {
      const name = names.get(profile.samples[k]) ?? "?";
      totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { top: { type: "string", default: "25" } },
  });
  if (positionals.length === 0) {
    console.error("usage: deno run -A bench/profile_summary.ts <file.cpuprofile>… [--top N]");
    Deno.exit(2);
  }
  const profiles = positionals.map((path) => JSON.parse(Deno.readTextFileSync(path)));
  const times = selfTimes(profiles);
  const total = times.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`| self ms | share | function |\n|--:|--:|---|`);
  for (const [name, ms] of times.slice(0, Number(values.top))) {
    console.log(`| ${ms.toFixed(1)} | ${(100 * ms / total).toFixed(1)}% | ${name} |`);
  }
  console.log(`| ${total.toFixed(1)} | 100% | total sampled |`);
}
