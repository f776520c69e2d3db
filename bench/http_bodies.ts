/**
 * `deno run -A bench/http_bodies.ts [--rounds N]`: the peak memory of the HTTP client reading
 * hostile and legitimate compressed bodies. A `Deno.serve` backend in this process serves
 * each body; a fresh child process reads it through `HttpClient` (the default 64 MiB limit)
 * and reports its peak resident set (`VmHWM`, Linux), so that each figure is one body's cost
 * alone. A bomb must be refused as UnknownBackendResponse; a legitimate body must arrive whole.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";

const MIB = 1024 * 1024;

interface Case {
  /** What the row shows. */
  name: string;
  /** The encoded body and its Content-Encoding. */
  body: Uint8Array<ArrayBuffer>;
  encoding: string;
  /** Requests the child makes at once. */
  parallel: number;
  /** Whether the client must refuse it (a bomb) or read it whole. */
  refused: boolean;
}

function cases(): Case[] {
  const zeros = new Uint8Array(1024 * MIB);
  const brBomb = brotliCompressSync(zeros, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_LGWIN]: 24 },
  });
  const gzBomb = gzipSync(zeros.subarray(0, 1000 * MIB), { level: 6 });
  const deflateBomb = deflateSync(zeros.subarray(0, 1000 * MIB), { level: 6 });
  // A legitimate JSON answer of 60 MiB: many small records, compressible as real ones are.
  const games: string[] = [];
  let size = 2;
  for (let i = 0; size < 60 * MIB; i++) {
    const record = JSON.stringify({ id: `game-${i}`, title: `Title number ${i}`, owned: true });
    games.push(record);
    size += record.length + 1;
  }
  const json = new TextEncoder().encode(`[${games.join(",")}]`);
  const bytes = (b: Uint8Array) => new Uint8Array(b) as Uint8Array<ArrayBuffer>;
  return [
    {
      name: "br bomb (1 GiB of zeros)",
      body: bytes(brBomb),
      encoding: "br",
      parallel: 1,
      refused: true,
    },
    {
      name: "gzip bomb (1000 MiB)",
      body: bytes(gzBomb),
      encoding: "gzip",
      parallel: 1,
      refused: true,
    },
    {
      name: "deflate bomb (1000 MiB)",
      body: bytes(deflateBomb),
      encoding: "deflate",
      parallel: 1,
      refused: true,
    },
    { name: "8 br bombs at once", body: bytes(brBomb), encoding: "br", parallel: 8, refused: true },
    {
      name: "60 MiB JSON, gzip",
      body: bytes(gzipSync(json)),
      encoding: "gzip",
      parallel: 1,
      refused: false,
    },
    {
      name: "60 MiB JSON, identity",
      body: bytes(json),
      encoding: "identity",
      parallel: 1,
      refused: false,
    },
  ];
}

async function child(url: string, parallel: number): Promise<void> {
  const { HttpClient } = await import("../src/http/mod.ts");
  const http = new HttpClient({ retry: false });
  const outcomes = await Promise.all(
    Array.from({ length: parallel }, () =>
      http.get(url).then(
        (r) => `read ${r.body.length} bytes`,
        (e) => `${(e as Error).name}: ${(e as Error).message}`,
      )),
  );
  http.close();
  const status = Deno.readTextFileSync("/proc/self/status");
  const peak = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? NaN) / 1024;
  console.log(JSON.stringify({ peakMib: peak, outcome: outcomes[0] }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { rounds: { type: "string", default: "1" }, child: { type: "string" } },
    allowPositionals: true,
  });
  if (values.child) return child(values.child, Number(Deno.args.at(-1)));
  const table = cases();
  let current: Case = table[0];
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(current.body, { headers: { "content-encoding": current.encoding } }),
  );
  const url = `http://127.0.0.1:${server.addr.port}/`;
  // An empty child's peak: the runtime's own share of every figure.
  const baseline = await runChild(url, 0);
  console.log(`child baseline (no request): ${baseline.peakMib.toFixed(0)} MiB peak RSS`);
  console.log("| body | encoded | requests | peak RSS (MiB) | outcome |");
  console.log("|---|---:|---:|---:|---|");
  for (const c of table) {
    current = c;
    const peaks: number[] = [];
    let outcome = "";
    for (let round = 0; round < Number(values.rounds); round++) {
      const result = await runChild(url, c.parallel);
      peaks.push(result.peakMib);
      outcome = result.outcome;
    }
    const ok = c.refused
      ? /UnknownBackendResponse|larger than/.test(outcome)
      : /^read /.test(outcome);
    console.log(
      `| ${c.name} | ${c.body.length} B | ${c.parallel} | ${Math.max(...peaks).toFixed(0)} | ${
        ok ? "" : "UNEXPECTED: "
      }${outcome.slice(0, 90)} |`,
    );
  }
}

async function runChild(
  url: string,
  parallel: number,
): Promise<{ peakMib: number; outcome: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, "--child", url, String(parallel)],
    stdout: "piped",
    stderr: "inherit",
    // The refusals are logged at warning: expected here, so kept out of the table.
    env: { GALAXY_LOG_LEVEL: "critical" },
  }).output();
  const line = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}";
  return JSON.parse(line);
}

if (import.meta.main) await main();
