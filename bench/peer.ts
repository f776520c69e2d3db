/**
 * The benchmark's side of the socket: a lean stand-in for Galaxy. It listens on
 * 127.0.0.1, starts an integration with `<token> <port>`, writes requests encoded before
 * the clock starts, and only counts newlines while the clock runs; the bytes are kept and
 * parsed after the clock has stopped, so the client's own work stays out of the figure.
 *
 * @module
 */

const NEWLINE = 10;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** How a {@linkcode Peer} reads: the default reads as fast as it can. */
export interface ReadPace {
  /** Bytes asked for per read. */
  readonly bytes: number;
  /** Milliseconds to wait after each read (a slow Galaxy). */
  readonly pauseMs: number;
}

/** What starts an integration: its command line (token and port are appended) and env. */
export interface PeerOptions {
  /** The command; `<token> <port>` follow its arguments. */
  readonly command: readonly string[];
  /** Extra environment of the integration. */
  readonly env?: Record<string, string>;
  /** Working directory of the integration. */
  readonly cwd?: string;
  /** Read pace; fast by default. */
  readonly pace?: ReadPace;
  /** Let the integration's stderr through instead of discarding it. */
  readonly showStderr?: boolean;
  /** The process is killed when it is still running after this many milliseconds. */
  readonly deadlineMs?: number;
}

const FAST: ReadPace = { bytes: 1 << 20, pauseMs: 0 };

/**
 * One integration process and its connection.
 *
 * @example
 * ```ts ignore
 * import { Peer } from "./peer.ts";
 * const peer = await Peer.start({ command: [Deno.execPath(), "run", "-A", "plugin.ts"] });
 * await peer.send(Peer.line({ jsonrpc: "2.0", id: 1, method: "get_capabilities" }));
 * await peer.waitLines(1);
 * console.log(peer.takeLines());
 * await peer.stop();
 * ```
 */
export class Peer {
  /** The integration process. */
  readonly process: Deno.ChildProcess;
  /** The token passed on its command line. */
  readonly token: string;
  #conn: Deno.TcpConn;
  #listener: Deno.Listener;
  #chunks: Uint8Array[] = [];
  #lines = 0;
  #want = Infinity;
  #waiter: { resolve: (at: number) => void; reject: (error: Error) => void } | null = null;
  #ended = false;
  #reading: Promise<void>;
  #exit: Promise<Deno.CommandStatus>;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  /** Set when the deadline killed the process. */
  timedOut = false;

  private constructor(
    process: Deno.ChildProcess,
    conn: Deno.TcpConn,
    listener: Deno.Listener,
    token: string,
    pace: ReadPace,
    deadlineMs: number,
  ) {
    this.process = process;
    this.#conn = conn;
    this.#listener = listener;
    this.token = token;
    this.#exit = process.status;
    this.#reading = this.#read(pace);
    this.#deadline = setTimeout(() => {
      this.timedOut = true;
      this.#kill();
      this.#closeConn();
    }, deadlineMs);
  }

  /** Starts the integration and accepts its connection. */
  static async start(options: PeerOptions): Promise<Peer> {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const token = crypto.randomUUID();
    const [program, ...args] = options.command;
    const process = new Deno.Command(program, {
      args: [...args, token, String(listener.addr.port)],
      cwd: options.cwd,
      env: options.env,
      stdin: "null",
      stdout: options.showStderr ? "inherit" : "null",
      stderr: options.showStderr ? "inherit" : "null",
    }).spawn();
    let conn: Deno.TcpConn;
    try {
      conn = await Promise.race([
        listener.accept(),
        process.status.then((s): never => {
          throw new Error(`${options.command.join(" ")} exited with ${s.code} before connecting`);
        }),
      ]);
    } catch (error) {
      listener.close();
      throw error;
    }
    conn.setNoDelay(true);
    return new Peer(
      process,
      conn,
      listener,
      token,
      options.pace ?? FAST,
      options.deadlineMs ?? 120_000,
    );
  }

  /** Encodes one message as a line, ready for {@linkcode Peer.send}. */
  static line(message: unknown): Uint8Array {
    return encoder.encode(JSON.stringify(message) + "\n");
  }

  async #read(pace: ReadPace): Promise<void> {
    const buf = new Uint8Array(pace.bytes);
    try {
      while (true) {
        const n = await this.#conn.read(buf);
        if (n === null) break;
        const chunk = buf.slice(0, n);
        this.#chunks.push(chunk);
        for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) {
          this.#lines++;
        }
        if (this.#lines >= this.#want && this.#waiter) {
          const at = performance.now();
          this.#waiter.resolve(at);
          this.#waiter = null;
        }
        if (pace.pauseMs > 0) await new Promise((r) => setTimeout(r, pace.pauseMs));
      }
    } catch {
      // A reset connection: the waiter below learns of it.
    }
    this.#ended = true;
    const why = this.timedOut ? "killed at the deadline" : "connection closed";
    this.#waiter?.reject(new Error(`${why} after ${this.#lines} lines`));
    this.#waiter = null;
  }

  /** Writes bytes whole. */
  async send(bytes: Uint8Array): Promise<void> {
    for (let off = 0; off < bytes.length;) off += await this.#conn.write(bytes.subarray(off));
  }

  /** Complete lines received since the last {@linkcode Peer.takeLines}. */
  get lineCount(): number {
    return this.#lines;
  }

  /**
   * Resolves with `performance.now()` of the read that completed the `count`-th line since
   * the last {@linkcode Peer.takeLines}; rejects if the connection ends first. No timer per
   * wait (a ping round trip must stay cheap): the session's deadline kills a stuck
   * integration, which ends the connection.
   */
  waitLines(count: number): Promise<number> {
    if (this.#lines >= count) return Promise.resolve(performance.now());
    if (this.#ended) {
      return Promise.reject(new Error(`connection closed after ${this.#lines} lines`));
    }
    this.#want = count;
    const { promise, resolve, reject } = Promise.withResolvers<number>();
    this.#waiter = { resolve, reject };
    return promise;
  }

  /** The complete lines received so far, as text; a partial last line is kept for later. */
  takeLines(): string[] {
    const total = this.#chunks.reduce((sum, c) => sum + c.length, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    const end = all.lastIndexOf(NEWLINE) + 1;
    this.#chunks = end < total ? [all.slice(end)] : [];
    this.#lines = 0;
    this.#want = Infinity;
    if (end === 0) return [];
    const lines = decoder.decode(all.subarray(0, end - 1)).split("\n");
    return lines;
  }

  /**
   * CPU time the integration has used so far, all threads, in milliseconds (from
   * /proc/<pid>/task/<tid>/schedstat, nanosecond precision); null where /proc is not there.
   * The difference over a workload is steadier than the clock on a busy machine.
   */
  cpuMs(): number | null {
    try {
      let ns = 0;
      for (const task of Deno.readDirSync(`/proc/${this.process.pid}/task`)) {
        try {
          const text = Deno.readTextFileSync(
            `/proc/${this.process.pid}/task/${task.name}/schedstat`,
          );
          ns += Number(text.split(" ")[0]);
        } catch {
          // The thread ended meanwhile.
        }
      }
      return ns / 1e6;
    } catch {
      return null;
    }
  }

  /**
   * The integration's peak resident memory (VmHWM) in KiB, from /proc; null where /proc
   * is not there.
   */
  peakRssKiB(): number | null {
    try {
      const status = Deno.readTextFileSync(`/proc/${this.process.pid}/status`);
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      return match ? Number(match[1]) : null;
    } catch {
      return null;
    }
  }

  /**
   * Sends `shutdown`, waits for the process to end (killing it after `graceMs`) and
   * returns its exit code.
   */
  async stop(graceMs = 10_000): Promise<number> {
    if (!this.#ended) {
      try {
        await this.send(Peer.line({ jsonrpc: "2.0", id: "bench-shutdown", method: "shutdown" }));
      } catch {
        // Already gone; the exit status tells.
      }
    }
    const timer = setTimeout(() => this.#kill(), graceMs);
    const status = await this.#exit;
    clearTimeout(timer);
    clearTimeout(this.#deadline);
    this.#closeConn();
    await this.#reading;
    this.#listener.close();
    return status.code;
  }

  /** Kills the process at once and cleans up (after a failed run). */
  async kill(): Promise<void> {
    this.#kill();
    await this.stop(0).catch(() => {});
  }

  #kill(): void {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // Exited already.
    }
  }

  #closeConn(): void {
    try {
      this.#conn.close();
    } catch {
      // Closed already.
    }
  }
}
