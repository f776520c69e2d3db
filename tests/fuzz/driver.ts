// Drives the fixture integration, a real process over real TCP, through fuzz cases, and
// judges every line it writes against the oracle.
import { spawnIntegration } from "../fake_galaxy.ts";
import { concatBytes } from "../../src/wire/mod.ts";
import type { FuzzCase } from "./generate.ts";
import {
  checkImports,
  checkOutgoing,
  checkResponse,
  type Expected,
  type ExpectedBatch,
  expectLine,
  expectScript,
  type ImportEvent,
  instantiate,
  type OracleContext,
  parseWithIds,
  rawIdOf,
  REFRESH_OK,
  splitLines,
} from "./oracle.ts";
import { IMPORT_FINISHED, IMPORT_OF_NOTIFICATION } from "./methods.ts";
import { MARKER } from "./structured.ts";

const FIXTURE = new URL("../fixtures/fixture_plugin.ts", import.meta.url).pathname;
const encoder = new TextEncoder();
const STDERR_TAIL = 16_384;

/** Something wrong a case showed. */
export interface Problem {
  kind: "crash" | "hang" | "malformed" | "leak";
  detail: string;
}

interface CaseState {
  singles: Expected[];
  batches: ExpectedBatch[];
  /** Where each owed answer's request came in the case (imports run in that order). */
  order: Map<Expected, number>;
  /** Starts answered null, by import: their position and ids. */
  accepted: Map<string, { order: number; ids: string[] }[]>;
  /** Every notification of each import, in arrival order. */
  events: Map<string, ImportEvent[]>;
  finished: Map<string, number>;
  /** The case holds a shutdown: the process must exit 0, imports may stop short. */
  ends: boolean;
  pingId: string;
  pingAnswered: boolean;
  script: readonly string[];
  problems: Problem[];
}

const accepts = (e: Expected, m: Record<string, unknown>): string | null => {
  if ("error" in m) {
    const code = (m.error as { code: number }).code;
    return e.codes.includes(code)
      ? null
      : `expected ${e.result ? "a result" : ""}${
        e.codes.length ? ` code ${e.codes}` : ""
      }, got error ${JSON.stringify(m.error).slice(0, 300)}`;
  }
  return e.result ? e.result(m.result) : `expected error ${e.codes}, got a result`;
};

export class FuzzTarget {
  readonly token: string;
  #listener: Deno.TcpListener;
  #process: Deno.ChildProcess;
  #conn: Deno.TcpConn;
  #exited: Deno.CommandStatus | null = null;
  #stderr: string[] = [];
  #stderrSize = 0;
  #inbox: unknown[] = [];
  #wake: (() => void) | null = null;
  #state: CaseState | null = null;
  #pings = 0;
  #closed = false;
  #escaped: string | null = null;
  #leak: string | null = null;
  #eof = false;
  /** The process's peak resident memory (VmHWM) when it was closed, in bytes. */
  peakRss = 0;
  /** Prints every message received (for debugging a case). */
  trace = false;

  private constructor(
    listener: Deno.TcpListener,
    process: Deno.ChildProcess,
    conn: Deno.TcpConn,
    token: string,
  ) {
    this.token = token;
    this.#listener = listener;
    this.#process = process;
    this.#conn = conn;
    process.status.then((s) => {
      this.#exited = s;
      this.#notify();
    });
    void this.#drainStderr();
    void this.#read();
  }

  /** Starts the fixture; `heapMb` caps its V8 heap, so that a leak ends in a crash. */
  static async start(heapMb?: number): Promise<FuzzTarget> {
    const token = crypto.randomUUID();
    const flags = heapMb ? [`--v8-flags=--max-old-space-size=${heapMb}`] : [];
    const { listener, process, conn } = await spawnIntegration(
      [Deno.execPath(), "run", "-A", ...flags, FIXTURE],
      token,
    );
    const target = new FuzzTarget(listener, process, conn, token);
    const handshake: FuzzCase = {
      kind: "valid-calls",
      writes: [encoder.encode(
        '{"jsonrpc":"2.0","id":"0","method":"get_capabilities","params":{}}\n' +
          '{"jsonrpc":"2.0","id":"1","method":"initialize_cache","params":{"data":{}}}\n',
      )],
    };
    const problem = await target.runCase(handshake);
    if (problem) throw new Error(`handshake failed: ${problem.detail}`);
    return target;
  }

  /** The process's resident memory now, or its peak (VmHWM), in bytes (Linux only; else 0). */
  async rss(field: "VmRSS" | "VmHWM" = "VmRSS"): Promise<number> {
    try {
      const status = await Deno.readTextFile(`/proc/${this.#process.pid}/status`);
      return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  }

  /** Whether the process still runs. */
  get alive(): boolean {
    return this.#exited === null;
  }

  /** The last lines the integration logged. */
  get stderrTail(): string {
    return this.#stderr.join("").slice(-STDERR_TAIL);
  }

  async #drainStderr(): Promise<void> {
    const decoder = new TextDecoder();
    let carry = "";
    for await (const chunk of this.#process.stderr) {
      const text = decoder.decode(chunk, { stream: true });
      // A secret marker or the session token, at any level, is a leak; the carry finds one
      // cut between two chunks.
      const scan = carry + text;
      const leak = MARKER.exec(scan) ?? new RegExp(this.token).exec(scan);
      if (leak && !this.#leak) {
        this.#leak = scan.slice(Math.max(0, leak.index - 300), leak.index + 200);
      }
      carry = scan.slice(-64);
      // What the runtime's last-resort handler logs: something escaped its own handling.
      const escaped = /galaxy\.plugin: Unhandled promise rejection|^error: Uncaught/m.exec(text);
      if (escaped) {
        this.#escaped ??= text.slice(Math.max(0, escaped.index - 100), escaped.index + 900);
      }
      this.#stderr.push(text);
      this.#stderrSize += text.length;
      while (this.#stderrSize > 4 * STDERR_TAIL && this.#stderr.length > 1) {
        this.#stderrSize -= this.#stderr.shift()!.length;
      }
    }
  }

  async #read(): Promise<void> {
    const buf = new Uint8Array(1 << 20);
    const pieces: Uint8Array[] = [];
    const decoder = new TextDecoder("utf-8", { fatal: true });
    try {
      while (true) {
        const n = await this.#conn.read(buf);
        if (n === null) break;
        let start = 0;
        for (let i = 0; i < n; i++) {
          if (buf[i] !== 10) continue;
          pieces.push(buf.slice(start, i));
          const line = concatBytes(pieces.splice(0));
          start = i + 1;
          try {
            this.#inbox.push(parseWithIds(decoder.decode(line)));
          } catch {
            this.#inbox.push(new MalformedLine(line));
          }
        }
        if (start < n) pieces.push(buf.slice(start, n));
        this.#notify();
      }
    } catch {
      // Reset by the peer: the exit status tells the rest.
    }
    this.#eof = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #writes: Promise<unknown> = Promise.resolve();

  /**
   * Writes `chunks` one after another (each its own write: the transport split), after every
   * earlier call: a refresh answer never cuts a line of the case.
   */
  #write(...chunks: Uint8Array[]): Promise<void> {
    const done = this.#writes.then(async () => {
      for (const bytes of chunks) {
        for (let off = 0; off < bytes.length;) {
          off += await this.#conn.write(bytes.subarray(off));
        }
      }
    });
    this.#writes = done.catch(() => {});
    return done;
  }

  /** Runs one case; returns the first problem it showed, or null. */
  async runCase(c: FuzzCase, timeoutMs = 15_000): Promise<Problem | null> {
    const script = c.refresh ?? [REFRESH_OK];
    const state: CaseState = {
      singles: [],
      batches: [],
      order: new Map(),
      accepted: new Map(),
      events: new Map(),
      finished: new Map(),
      ends: false,
      pingId: `ping-${++this.#pings}`,
      pingAnswered: false,
      script,
      problems: [],
    };
    const ctx: OracleContext = { token: this.token, refreshScript: script };
    for (const line of splitLines(concatBytes(c.writes))) {
      for (const e of expectLine(line, ctx)) {
        for (const one of "batch" in e ? e.batch : [e]) state.order.set(one, state.order.size);
        if ("batch" in e) state.batches.push(e);
        else state.singles.push(e);
      }
    }
    if (ctx.shutdown) {
      // Whatever runs when shutdown comes is cancelled: -32001 is a right answer too.
      state.ends = true;
      state.pingAnswered = true;
      for (const e of state.order.keys()) if (e.method !== "shutdown") e.codes.push(-32001);
    }
    this.#state = state;
    let deadline = Date.now() + timeoutMs;
    const writing = (async () => {
      await this.#write(...c.writes);
      if (state.ends) return;
      await this.#write(
        encoder.encode(`\n{"jsonrpc":"2.0","id":"${state.pingId}","method":"ping"}\n`),
      );
    })().catch((error) => error);
    try {
      while (true) {
        while (this.#inbox.length > 0) this.#handle(this.#inbox.shift(), state);
        if (this.#leak) {
          const detail = `a secret on stderr: ${this.#leak}`;
          this.#leak = null;
          return { kind: "leak", detail };
        }
        if (state.ends && !this.alive && this.#eof) return this.#ended(state);
        if (!this.alive && !state.ends) {
          return {
            kind: "crash",
            detail: `exited with ${this.#exited?.code}; stderr: ${this.stderrTail.slice(-2000)}`,
          };
        }
        if (!state.ends && this.#done(state)) {
          const error = await writing;
          if (error instanceof Error) return { kind: "crash", detail: `write failed: ${error}` };
          if (this.#escaped) {
            const detail = `something escaped: ${this.#escaped}`;
            this.#escaped = null;
            return { kind: "crash", detail };
          }
          const imports = this.#checkImports(state);
          if (imports) return { kind: "malformed", detail: imports };
          return state.problems[0] ?? null;
        }
        // After a wrong answer, wait a little for the rest, so that it is not blamed on the
        // next case; then report the wrong answer, not a hang.
        if (state.problems.length > 0) deadline = Math.min(deadline, Date.now() + 2000);
        const left = deadline - Date.now();
        if (left <= 0) {
          return state.problems[0] ??
            { kind: "hang", detail: `waiting for ${this.#describeWait(state)}` };
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      this.#state = null;
      // Sampled while the process runs: a process that exits (shutdown) has no /proc entry.
      if (this.alive) this.peakRss = Math.max(this.peakRss, await this.rss("VmHWM"));
    }
  }

  #owed(s: CaseState): Expected[] {
    return s.singles.filter((e) => !e.optional);
  }

  #done(s: CaseState): boolean {
    if (!s.pingAnswered || this.#owed(s).length > 0) return false;
    if (s.batches.some((b) => b.batch.some((e) => !e.optional))) return false;
    for (const method of Object.keys(IMPORT_FINISHED)) {
      if ((s.accepted.get(method)?.length ?? 0) !== (s.finished.get(method) ?? 0)) return false;
    }
    return true;
  }

  /** After a shutdown: exit 0, every request before it answered, the imports consistent. */
  #ended(s: CaseState): Problem | null {
    if (this.#exited?.code !== 0) {
      return {
        kind: "crash",
        detail: `exited with ${this.#exited?.code} after shutdown; stderr: ${
          this.stderrTail.slice(-2000)
        }`,
      };
    }
    if (s.problems.length) return s.problems[0];
    const owed = this.#owed(s);
    const batches = s.batches.filter((b) => b.batch.some((e) => !e.optional));
    if (owed.length || batches.length) {
      return {
        kind: "malformed",
        detail: `exited after shutdown without answering ${
          JSON.stringify(owed.map((e) => [e.id, e.method]))
        } and ${batches.length} batch(es)`,
      };
    }
    const imports = this.#checkImports(s);
    return imports ? { kind: "malformed", detail: imports } : null;
  }

  #checkImports(s: CaseState): string | null {
    for (const method of Object.keys(IMPORT_FINISHED)) {
      const accepted = (s.accepted.get(method) ?? []).sort((a, b) => a.order - b.order);
      const events = s.events.get(method) ?? [];
      if (accepted.length === 0 && events.length === 0) continue;
      const problem = checkImports(method, accepted.map((a) => a.ids), events, s.ends);
      if (problem) return problem;
    }
    return null;
  }

  #describeWait(s: CaseState): string {
    const parts = [];
    if (!s.pingAnswered) parts.push("the ping");
    const owed = this.#owed(s);
    if (owed.length) parts.push(`answers to ${JSON.stringify(owed.map((e) => e.id))}`);
    if (s.batches.length) parts.push(`${s.batches.length} batch answer(s)`);
    for (const [method, list] of s.accepted) {
      const n = list.length - (s.finished.get(method) ?? 0);
      if (n !== 0) parts.push(`${n} × ${IMPORT_FINISHED[method]}`);
    }
    if (s.ends) parts.push(this.alive ? "the exit" : "the end of the stream");
    return parts.join(", ");
  }

  #handle(m: unknown, s: CaseState): void {
    const bad = (detail: string) => s.problems.push({ kind: "malformed", detail });
    if (this.trace) console.log("<<", JSON.stringify(m)?.slice(0, 300));
    if (m instanceof MalformedLine) {
      return void bad(`not a JSON line: ${m.preview()}`);
    }
    if (Array.isArray(m)) return this.#handleBatch(m, s, bad);
    if (m === null || typeof m !== "object") return void bad(`not an object: ${JSON.stringify(m)}`);
    const msg = m as Record<string, unknown>;
    if ("method" in msg) {
      const problem = checkOutgoing(msg);
      if (problem) return void bad(problem);
      if ("id" in msg) return this.#answerRefresh(Number(msg.id), s);
      const method = msg.method as string;
      const start = IMPORT_OF_NOTIFICATION.get(method);
      if (start) {
        const events = s.events.get(start) ?? [];
        s.events.set(start, events);
        events.push({ method, params: msg.params as ImportEvent["params"] });
        if (IMPORT_FINISHED[start] === method) {
          s.finished.set(start, (s.finished.get(start) ?? 0) + 1);
        }
      }
      return;
    }
    if (msg.id === s.pingId) {
      const problem = checkResponse(msg);
      if (problem || msg.result !== null) return void bad(`ping answer: ${problem ?? "not null"}`);
      s.pingAnswered = true;
      return;
    }
    const problem = this.#match(msg, s.singles, s);
    if (problem) bad(problem);
  }

  /** Matches a response to what is owed; returns a problem or null. */
  #match(msg: Record<string, unknown>, owed: Expected[], s: CaseState): string | null {
    const found = findMatch(msg, owed);
    if (found.index >= 0) {
      const [e] = owed.splice(found.index, 1);
      if ("result" in msg && e.importIds && e.method) {
        const list = s.accepted.get(e.method) ?? [];
        s.accepted.set(e.method, list);
        list.push({ order: s.order.get(e) ?? 0, ids: e.importIds });
      }
    }
    return found.problem;
  }

  #handleBatch(items: unknown[], s: CaseState, bad: (d: string) => void): void {
    const candidates = s.batches.filter((b) => b.batch.length === items.length);
    // The batch whose every answer fits, or else the first of the right size, to report.
    const fits = candidates.find((b) => {
      const owed = [...b.batch];
      return items.every((item) => {
        if (item === null || typeof item !== "object" || Array.isArray(item)) return false;
        const found = findMatch(item as Record<string, unknown>, owed);
        if (found.problem) return false;
        owed.splice(found.index, 1);
        return true;
      });
    }) ?? candidates[0];
    if (!fits) {
      return bad(
        `a batch answer nobody asked for (${items.length} items): ${
          JSON.stringify(items).slice(0, 300)
        }`,
      );
    }
    s.batches.splice(s.batches.indexOf(fits), 1);
    for (const item of items) {
      const problem = item !== null && typeof item === "object" && !Array.isArray(item)
        ? this.#match(item as Record<string, unknown>, fits.batch, s)
        : "batch item is not an object";
      if (problem) return bad(`batch answer: ${problem}`);
    }
  }

  #answerRefresh(n: number, s: CaseState): void {
    for (const template of s.script) {
      for (const e of expectScript(template, n, this.token)) {
        // Written after the case, so after its shutdown, which stops reading: maybe unread.
        if (s.ends) e.optional = true;
        s.singles.push(e);
      }
    }
    void (async () => {
      for (const template of s.script) await this.#write(encoder.encode(instantiate(template, n)));
    })().catch(() => {});
  }

  /** Kills the process and releases the socket and listener. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.peakRss = Math.max(this.peakRss, await this.rss("VmHWM"));
    try {
      this.#process.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await this.#process.status;
    try {
      this.#conn.close();
    } catch {
      // Closed by the peer.
    }
    this.#listener.close();
  }
}

/** Which owed answer `msg` is (index -1 if none), and what is wrong with it. */
function findMatch(
  msg: Record<string, unknown>,
  owed: Expected[],
): { index: number; problem: string | null } {
  // A big integer id must come back as sent, not as the nearest double.
  const raw = rawIdOf(msg);
  const sameId = owed.filter((e) => e.id === msg.id && (e.rawId === undefined || e.rawId === raw));
  const problem = checkResponse(msg, sameId.flatMap((e) => e.codes));
  if (problem) return { index: owed.indexOf(sameId[0]), problem };
  if (sameId.length === 0) {
    return {
      index: -1,
      problem: `an answer nobody asked for: ${JSON.stringify(msg).slice(0, 300)}`,
    };
  }
  let why = "";
  for (const e of sameId) {
    const no = accepts(e, msg);
    if (!no) return { index: owed.indexOf(e), problem: null };
    why ||= no;
  }
  // The first one is consumed anyway, so that a wrong answer is reported once, not as a hang.
  return {
    index: owed.indexOf(sameId[0]),
    problem: `wrong answer to ${sameId[0].method ?? "a bad line"} (id ${
      JSON.stringify(msg.id)
    }): ${why}`,
  };
}

class MalformedLine {
  constructor(readonly bytes: Uint8Array) {}
  preview(): string {
    return new TextDecoder().decode(this.bytes.subarray(0, 300));
  }
}
