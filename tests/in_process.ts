// Galaxy's end of a real loopback socket, with the integration served in this process:
// for tests that need a Plugin written inline and every line it writes, in order.
import { type Plugin, serve } from "../mod.ts";
import type { ServeOptions } from "../src/plugin/mod.ts";
import { type Message, readMessages } from "./read_messages.ts";

export type { Message };

const encoder = new TextEncoder();

export class InProcessGalaxy {
  /** Every message received, in order. */
  readonly received: Message[] = [];
  #client: Deno.TcpConn;
  #served: Promise<void>;
  #waiters: { test: (m: Message) => boolean; resolve: () => void }[] = [];
  #reading: Promise<void>;
  #ended = false;

  private constructor(client: Deno.TcpConn, served: Promise<void>) {
    this.#client = client;
    this.#served = served;
    this.#reading = this.#read();
  }

  /** Serves `plugin` on a fresh loopback socket and connects to it as Galaxy. */
  static async serve(
    plugin: Plugin,
    options: Partial<ServeOptions> = {},
  ): Promise<InProcessGalaxy> {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
    const served = serve(plugin, await listener.accept(), { token: "t", ...options });
    listener.close();
    return new InProcessGalaxy(client, served);
  }

  /** Writes messages (or raw text) in ONE write, each on its own line. */
  async send(...messages: (Message | string)[]): Promise<void> {
    const text = messages.map((m) => typeof m === "string" ? m : JSON.stringify(m)).join("\n");
    const bytes = encoder.encode(text + "\n");
    for (let done = 0; done < bytes.length;) done += await this.#client.write(bytes.subarray(done));
  }

  /** Resolves with everything received once a message passes `test` (or the stream ends). */
  until(test: (m: Message) => boolean): Promise<Message[]> {
    if (this.#ended || this.received.some(test)) return Promise.resolve(this.received);
    return new Promise((resolve) =>
      this.#waiters.push({ test, resolve: () => resolve(this.received) })
    );
  }

  /** The answer to request `id`. */
  async response(id: string | number): Promise<Message> {
    const test = (m: Message) => m.id === id && !("method" in m);
    await this.until(test);
    const found = this.received.find(test);
    if (!found) throw new Error(`no answer to ${id}: the connection ended`);
    return found;
  }

  /** Closes Galaxy's end and waits until the session has ended. */
  async close(): Promise<void> {
    try {
      this.#client.close();
    } catch {
      // Already closed by the integration.
    }
    await this.#served;
    await this.#reading;
  }

  /** Waits until the session has ended (after a shutdown request, say), then closes. */
  async ended(): Promise<Message[]> {
    await this.#served;
    await this.#reading;
    return this.received;
  }

  async #read(): Promise<void> {
    await readMessages(this.#client, (message) => {
      this.received.push(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.test(message)) return true;
        w.resolve();
        return false;
      });
    });
    this.#ended = true;
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    try {
      this.#client.close();
    } catch {
      // Already closed.
    }
  }
}
