/**
 * The benchmark's workloads: what Galaxy asks, what is timed, and how each answer is
 * checked. Each run starts a fresh integration process, so that every figure includes a
 * cold JIT (as Galaxy sees it) and every peak RSS belongs to one workload.
 *
 * @module
 */
import { Peer, type ReadPace } from "./peer.ts";
import {
  checkCapabilities,
  checkFlood,
  checkImport,
  checkNullAnswer,
  checkOwnedAnswer,
  checkPongs,
  type ImportName,
} from "./verify.ts";

/** One measured run. */
export interface Sample {
  /** Milliseconds on the clock. */
  readonly ms: number;
  /** CPU time the integration used meanwhile, all threads (null without /proc). */
  readonly cpuMs: number | null;
  /** The integration's peak resident memory in KiB (null without /proc). */
  readonly rssKiB: number | null;
}

/** What a workload's body measured: the clock and the integration's CPU time. */
interface Timed {
  readonly ms: number;
  readonly cpuMs: number | null;
}

/**
 * Starts the clock on `peer`: its CPU time is read first, so that reading /proc stays out
 * of the timed window. `stop(at)` takes the time of the last awaited line.
 */
function clock(peer: Peer): { stop(at: number): Timed } {
  const cpu0 = peer.cpuMs();
  const t0 = performance.now();
  return {
    stop(at) {
      const cpu1 = peer.cpuMs();
      return { ms: at - t0, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
    },
  };
}

/** Starts the integration under test with extra environment and a read pace. */
export type Start = (env: Record<string, string>, pace?: ReadPace) => Promise<Peer>;

/** What a target compares: the ratio of medians (and of peak RSS) to the lean plugin. */
export interface Target {
  /** Highest acceptable time ratio. */
  readonly time: number;
  /** Highest acceptable peak RSS ratio, if any. */
  readonly rss?: number;
  /** The target is for the shipped bundle only (startup). */
  readonly bundleOnly?: boolean;
}

/** One workload. */
export interface Workload {
  /** Short name, shown in the table and accepted by `--only`. */
  readonly name: string;
  /** Its group, for `--only` (e.g. `owned` selects every owned size). */
  readonly group: string;
  /** The target, if it has one. */
  readonly target?: Target;
  /** Whether the lean plugin implements it (it has no flood). */
  readonly lean: boolean;
  /** Runs per contender and round (startup repeats; the rest run once). */
  readonly repeat: number;
  /** Runs once against a fresh integration and checks the answers. */
  measure(start: Start): Promise<Sample>;
}

/** The sizes of one benchmark run. */
export interface Sizes {
  /** Games of the owned-games workload. */
  readonly owned: number;
  /** Ids of the game-times and achievements imports. */
  readonly imports: number;
  /** Size of the big cache, in MiB. */
  readonly cacheMiB: number;
  /** Sequential pings. */
  readonly pings: number;
  /** Notifications the integration pushes in the flood. */
  readonly flood: number;
  /** Owned-games sizes of the scaling series (besides `owned`). */
  readonly scaling: readonly number[];
  /** Startups per contender and round. */
  readonly startups: number;
  /** One-game import requests of the burst workloads, sent in one write each (§10). */
  readonly bursts: readonly number[];
}

/** The sizes. */
export const FULL: Sizes = {
  owned: 100_000,
  imports: 20_000,
  cacheMiB: 50,
  pings: 20_000,
  flood: 100_000,
  scaling: [10_000, 400_000],
  startups: 3,
  bursts: [1_000, 10_000],
};

/** A tenth of the work, for a smoke run that checks answers, not timings. */
export const QUICK: Sizes = {
  owned: 10_000,
  imports: 2_000,
  cacheMiB: 5,
  pings: 2_000,
  flood: 10_000,
  scaling: [1_000, 40_000],
  startups: 1,
  bursts: [100, 1_000],
};

/** A Galaxy that cannot keep up: 16 KiB per read, then a pause. */
export const SLOW_READER: ReadPace = { bytes: 16 << 10, pauseMs: 1 };

const encode = Peer.line;
const CAPABILITIES = encode({ jsonrpc: "2.0", id: 1, method: "get_capabilities" });
const EMPTY_CACHE = encode({
  jsonrpc: "2.0",
  id: 2,
  method: "initialize_cache",
  params: { data: {} },
});

const EMPTY_CACHE_THEN_PING = new Uint8Array([
  ...EMPTY_CACHE,
  ...encode({ jsonrpc: "2.0", id: "ready", method: "ping", params: {} }),
]);

/**
 * Runs `body` against a fresh integration, then reads its peak RSS, shuts it down and
 * expects exit code 0; a failure kills the process and names the workload.
 */
async function session(
  name: string,
  start: Start,
  env: Record<string, string>,
  body: (peer: Peer) => Promise<Timed>,
  pace?: ReadPace,
): Promise<Sample> {
  const peer = await start(env, pace);
  let timed: Timed;
  let rssKiB: number | null;
  try {
    timed = await body(peer);
    rssKiB = peer.peakRssKiB();
  } catch (error) {
    await peer.kill();
    throw new Error(`${name}: ${error instanceof Error ? error.message : error}`);
  }
  const code = await peer.stop();
  if (code !== 0) throw new Error(`${name}: the integration exited with ${code}`);
  return { ...timed, rssKiB };
}

/** get_capabilities then initialize_cache with an empty cache, both checked. */
async function handshake(peer: Peer): Promise<void> {
  await capabilities(peer);
  await peer.send(EMPTY_CACHE);
  await peer.waitLines(1);
  checkNullAnswer(peer.takeLines(), 2);
}

async function capabilities(peer: Peer): Promise<void> {
  await peer.send(CAPABILITIES);
  await peer.waitLines(1);
  checkCapabilities(peer.takeLines(), 1, peer.token);
}

/**
 * A count as the table shows it: 100k, 2k, 400k.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { count } from "./workloads.ts";
 * assert(count(100_000) === "100k" && count(1500) === "1500");
 * ```
 */
export function count(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function startup(sizes: Sizes): Workload {
  return {
    name: "startup",
    group: "startup",
    target: { time: 1.5, bundleOnly: true },
    lean: true,
    repeat: sizes.startups,
    measure: async (start) => {
      let t0 = 0;
      const sample = await session(
        "startup",
        async (env) => {
          t0 = performance.now();
          return await start(env);
        },
        {},
        async (peer) => {
          await peer.send(CAPABILITIES);
          await peer.waitLines(1);
          const caps = peer.takeLines();
          await peer.send(EMPTY_CACHE);
          const t1 = await peer.waitLines(1);
          checkCapabilities(caps, 1, peer.token);
          checkNullAnswer(peer.takeLines(), 2);
          // CPU from the process's start: all of it is startup.
          return { ms: t1 - t0, cpuMs: peer.cpuMs() };
        },
      );
      return sample;
    },
  };
}

function owned(n: number, group: string, target?: Target): Workload {
  const request = encode({ jsonrpc: "2.0", id: 3, method: "import_owned_games" });
  return {
    name: `owned ${count(n)}`,
    group,
    target,
    lean: true,
    repeat: 1,
    measure: (start) =>
      session(`owned ${count(n)}`, start, { FIXTURE_GAMES: String(n) }, async (peer) => {
        await handshake(peer);
        const timer = clock(peer);
        await peer.send(request);
        const t1 = await peer.waitLines(1);
        checkOwnedAnswer(peer.takeLines(), 3, n);
        return timer.stop(t1);
      }),
  };
}

function perIdImport(name: ImportName, n: number): Workload {
  const method = name === "game_times" ? "start_game_times_import" : "start_achievements_import";
  const ids = Array.from({ length: n }, (_, i) => `g${i}`);
  const request = encode({ jsonrpc: "2.0", id: 3, method, params: { game_ids: ids } });
  const label = `${name === "game_times" ? "gametimes" : "achievements"} ${count(n)}`;
  return {
    name: label,
    group: name === "game_times" ? "gametimes" : "achievements",
    // Issue 16: the import queue costs nothing when there is no burst.
    target: { time: 1.3, bundleOnly: true },
    lean: true,
    repeat: 1,
    measure: (start) =>
      session(label, start, {}, async (peer) => {
        await handshake(peer);
        const timer = clock(peer);
        await peer.send(request);
        const t1 = await peer.waitLines(n + 2);
        checkImport(peer.takeLines(), name, 3, n);
        return timer.stop(t1);
      }),
  };
}

/**
 * A cache of about `mib` MiB as Galaxy keeps it: a flat object of many small strings
 * (the reference types the cache as a str → str dictionary).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bigCacheRequest } from "./workloads.ts";
 * const line = new TextDecoder().decode(bigCacheRequest(1));
 * assert(line.length > 1 << 20 && JSON.parse(line).method === "initialize_cache");
 * ```
 */
export function bigCacheRequest(mib: number): Uint8Array {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < mib * (1 << 20); i++) {
    const entry = `"key_${i}":"value ${i} of the persistent cache",`;
    parts.push(entry);
    size += entry.length;
  }
  const data = parts.join("").slice(0, -1);
  return new TextEncoder().encode(
    `{"jsonrpc":"2.0","id":2,"method":"initialize_cache","params":{"data":{${data}}}}\n`,
  );
}

function bigCache(mib: number): Workload {
  let request: Uint8Array | undefined;
  return {
    name: `bigcache ${mib} MB`,
    group: "bigcache",
    target: { time: 1.2 },
    lean: true,
    repeat: 1,
    measure: (start) => {
      request ??= bigCacheRequest(mib);
      const bytes = request;
      return session(`bigcache ${mib} MB`, start, {}, async (peer) => {
        await capabilities(peer);
        const timer = clock(peer);
        await peer.send(bytes);
        const t1 = await peer.waitLines(1);
        checkNullAnswer(peer.takeLines(), 2);
        return timer.stop(t1);
      });
    },
  };
}

function pingPong(n: number): Workload {
  const FIRST = 10;
  const pings = Array.from(
    { length: n },
    (_, k) => encode({ jsonrpc: "2.0", id: FIRST + k, method: "ping" }),
  );
  return {
    name: `pingpong ${count(n)}`,
    group: "pingpong",
    target: { time: 1.3 },
    lean: true,
    repeat: 1,
    measure: (start) =>
      session(`pingpong ${count(n)}`, start, {}, async (peer) => {
        await handshake(peer);
        const timer = clock(peer);
        for (let k = 0; k < n; k++) {
          await peer.send(pings[k]);
          await peer.waitLines(k + 1);
        }
        const t1 = performance.now();
        const timed = timer.stop(t1);
        checkPongs(peer.takeLines(), FIRST, n);
        return timed;
      }),
  };
}

function flood(n: number, pace?: ReadPace): Workload {
  const label = `flood ${count(n)}${pace ? ", slow reader" : ""}`;
  return {
    name: label,
    group: "flood",
    lean: false,
    repeat: 1,
    measure: (start) =>
      session(label, start, { FIXTURE_FLOOD: String(n) }, async (peer) => {
        await capabilities(peer);
        const timer = clock(peer);
        // The ping Galaxy sends right after the cache: it releases the pushes the runtime
        // holds until Galaxy is ready (§10), as it does in a real session.
        await peer.send(EMPTY_CACHE_THEN_PING);
        const t1 = await peer.waitLines(n + 2);
        checkFlood(peer.takeLines().filter((line) => !line.includes('"id":"ready"')), 2, n);
        return timer.stop(t1);
      }, pace),
  };
}

/**
 * Peak RSS a burst of one-game imports may reach, in MiB: the queue holds only ids, so
 * memory stays flat however many wait.
 */
export const BURST_RSS_MIB = 64;

/**
 * Checks the lines of a burst: each of the `n` requests (ids "0"…) answered null, each
 * game's time sent once, and exactly `n` finished notifications, the last line a finish.
 */
function checkBurst(lines: string[], n: number): void {
  let answers = 0;
  let finished = 0;
  const games = new Set<string>();
  for (const line of lines) {
    const m = JSON.parse(line);
    if (m.method === "game_time_import_success") {
      if (games.has(m.params.game_time.game_id)) throw new Error(`twice: ${line}`);
      games.add(m.params.game_time.game_id);
    } else if (m.method === "game_times_import_finished") finished++;
    else if ("id" in m && m.result === null && Number(m.id) < n) answers++;
    else throw new Error(`unexpected line in a burst: ${line.slice(0, 200)}`);
  }
  if (answers !== n || finished !== n || games.size !== n) {
    throw new Error(`burst of ${n}: ${answers} answers, ${games.size} games, ${finished} finished`);
  }
  if (!lines[lines.length - 1].includes("game_times_import_finished")) {
    throw new Error("a burst must end with a finished notification");
  }
}

/** `n` one-game `start_game_times_import` requests in one write, as Galaxy 2.1.10+ sends. */
function burst(n: number): Workload {
  const label = `burst ${count(n)}`;
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    parts.push(
      JSON.stringify({
        jsonrpc: "2.0",
        id: String(k),
        method: "start_game_times_import",
        params: { game_ids: [`g${k}`] },
      }) + "\n",
    );
  }
  const request = new TextEncoder().encode(parts.join(""));
  return {
    name: label,
    group: "burst",
    // The lean plugin refuses all but the first with 600, as the reference does.
    lean: false,
    repeat: 1,
    measure: (start) =>
      session(label, start, {}, async (peer) => {
        await handshake(peer);
        const timer = clock(peer);
        await peer.send(request);
        const t1 = await peer.waitLines(3 * n);
        checkBurst(peer.takeLines(), n);
        return timer.stop(t1);
      }),
  };
}

/** Every workload of the issue at `sizes`, in the order the table shows them. */
export function workloads(sizes: Sizes): Workload[] {
  return [
    startup(sizes),
    owned(sizes.owned, "owned", { time: 1.3, rss: 1.3 }),
    perIdImport("game_times", sizes.imports),
    perIdImport("achievements", sizes.imports),
    // Beside the imports: the queue must cost nothing without a burst, and serve one.
    ...sizes.bursts.map(burst),
    bigCache(sizes.cacheMiB),
    pingPong(sizes.pings),
    flood(sizes.flood),
    flood(sizes.flood, SLOW_READER),
    ...sizes.scaling.map((n) => owned(n, "scaling")),
  ];
}
