// A test-side fake Galaxy: listens on 127.0.0.1, starts an integration process with a
// token and the port, and speaks protocol.md to it over the real socket. Written against
// the protocol only, not against the runtime's own wire code.

import { type Message, readMessages } from "./read_messages.ts";

export type { Message };

const FIXTURE = new URL("./fixtures/fixture_plugin.ts", import.meta.url).pathname;
const encoder = new TextEncoder();

export interface StartOptions {
  /** The command to run; defaults to the fixture under `deno run`. Token and port follow. */
  command?: string[];
  env?: Record<string, string>;
  token?: string;
  /** Arguments after `<token> <port>`. */
  extraArgs?: string[];
}

/** A started integration process and Galaxy's end of its connection. */
export interface Spawned {
  listener: Deno.TcpListener;
  process: Deno.ChildProcess;
  conn: Deno.TcpConn;
}

/**
 * Starts `command <token> <port> [extraArgs]` as Galaxy does and waits for it to connect to
 * a fresh listener on 127.0.0.1; fails if it exits first.
 */
export async function spawnIntegration(
  command: string[],
  token: string,
  extraArgs: string[] = [],
  env?: Record<string, string>,
): Promise<Spawned> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const process = new Deno.Command(command[0], {
    args: [...command.slice(1), token, String(listener.addr.port), ...extraArgs],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const conn = await Promise.race([
    listener.accept(),
    process.status.then((s) => {
      throw new Error(`integration exited with ${s.code} before connecting`);
    }),
  ]);
  conn.setNoDelay(true);
  return { listener, process, conn };
}

export class FakeGalaxy {
  readonly token: string;
  readonly process: Deno.ChildProcess;
  readonly conn: Deno.TcpConn;
  /** Every message received, in order. */
  readonly received: Message[] = [];
  /** Raw lines received, in order. */
  readonly lines: string[] = [];
  stderr = "";
  #listener: Deno.TcpListener;
  #waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  #nextId = 1;
  #reading: Promise<void>;
  #stderrDone: Promise<void>;
  closed = false;

  private constructor(
    listener: Deno.TcpListener,
    process: Deno.ChildProcess,
    conn: Deno.TcpConn,
    token: string,
  ) {
    this.#listener = listener;
    this.process = process;
    this.conn = conn;
    this.token = token;
    this.#reading = this.#read();
    this.#stderrDone = this.#readStderr();
  }

  static async start(options: StartOptions = {}): Promise<FakeGalaxy> {
    const token = options.token ?? crypto.randomUUID();
    const command = options.command ?? [Deno.execPath(), "run", "-A", FIXTURE];
    const { listener, process, conn } = await spawnIntegration(
      command,
      token,
      options.extraArgs,
      options.env,
    );
    return new FakeGalaxy(listener, process, conn, token);
  }

  async #readStderr(): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of this.process.stderr) this.stderr += decoder.decode(chunk);
  }

  async #read(): Promise<void> {
    await readMessages(this.conn, (message, line) => {
      this.lines.push(line);
      this.received.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    this.closed = true;
  }

  /** Sends raw bytes or text as is. */
  async sendRaw(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    for (let off = 0; off < bytes.length;) off += await this.conn.write(bytes.subarray(off));
  }

  /** Sends one message as a line. */
  send(message: unknown): Promise<void> {
    return this.sendRaw(JSON.stringify(message) + "\n");
  }

  /** Waits for the first message (already received or future) that passes `test`. */
  waitFor(test: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const found = this.received.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting; received: ${this.lines.slice(-5).join("\n")}`));
      }, timeoutMs);
      this.#waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Waits for the answer with this id. */
  response(id: unknown): Promise<Message> {
    return this.waitFor((m) => m.id === id && ("result" in m || "error" in m));
  }

  /** Sends a request with a fresh numeric id and waits for its answer. */
  async request(method: string, params?: unknown): Promise<Message> {
    const id = this.#nextId++;
    const message: Message = { jsonrpc: "2.0", id, method };
    if (params !== undefined) message.params = params;
    await this.send(message);
    return this.response(id);
  }

  /** Sends a notification. */
  notify(method: string, params?: unknown): Promise<void> {
    const message: Message = { jsonrpc: "2.0", method };
    if (params !== undefined) message.params = params;
    return this.send(message);
  }

  /** Messages received that are notifications named `method`. */
  notifications(method: string): Message[] {
    return this.received.filter((m) => m.method === method && !("id" in m));
  }

  /** Capabilities then cache, as Galaxy starts every session. */
  async handshake(cache: Record<string, unknown> = {}): Promise<void> {
    await this.request("get_capabilities");
    await this.request("initialize_cache", { data: cache });
  }

  /** Waits for the process to end and returns its exit code. */
  async exitCode(): Promise<number> {
    const status = await this.process.status;
    await this.#stderrDone;
    return status.code;
  }

  /** Closes the socket (end of stream for the integration). */
  closeSocket(): void {
    try {
      this.conn.close();
    } catch {
      // Already closed.
    }
  }

  /** Shuts the session down politely and cleans up; returns the exit code. */
  async stop(): Promise<number> {
    if (!this.closed) {
      try {
        await this.request("shutdown");
      } catch {
        // The integration may be gone already.
      }
    }
    const code = await this.exitCode();
    this.closeSocket();
    await this.#reading;
    this.#closeListener();
    return code;
  }

  /** Kills the process if it still runs and releases everything. */
  async dispose(): Promise<void> {
    try {
      this.process.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await this.process.status;
    await this.#stderrDone;
    this.closeSocket();
    await this.#reading;
    this.#closeListener();
  }

  #closeListener(): void {
    try {
      this.#listener.close();
    } catch {
      // Closed by stop() already.
    }
  }
}
