// Galaxy's end of a test reads the integration's lines the same way, whether the
// integration runs in a child process (fake_galaxy.ts) or in this one (in_process.ts).

/** A JSON-RPC message as received. */
// deno-lint-ignore no-explicit-any
export type Message = Record<string, any>;

/**
 * Reads newline-delimited JSON from `conn` until the stream ends or fails, handing each line
 * and its parse to `onMessage` in order. Blank lines are skipped. Never rejects: a socket
 * closed under the read is an end like any other, and the test decides whether it was
 * expected.
 */
export async function readMessages(
  conn: Deno.Conn,
  onMessage: (message: Message, line: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  const chunk = new Uint8Array(1 << 20);
  let rest = "";
  try {
    while (true) {
      const n = await conn.read(chunk);
      if (n === null) break;
      rest += decoder.decode(chunk.subarray(0, n), { stream: true });
      let nl: number;
      while ((nl = rest.indexOf("\n")) >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        if (line.trim()) onMessage(JSON.parse(line), line);
      }
    }
  } catch {
    // Closed under the read, or a line that is not JSON: the end of what can be read.
  }
}
