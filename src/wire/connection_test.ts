import { assert, assertEquals } from "../../tests/assert.ts";
import { AnswerThen, Connection, type WireLogger } from "./connection.ts";
import { readLines } from "./line_reader.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger that keeps every line, to check what the connection reported. */
function recorder(): WireLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string | (() => string), error?: unknown) => {
    lines.push(
      `${level} ${typeof message === "function" ? message() : message}${error ? `: ${error}` : ""}`,
    );
  };
  return {
    lines,
    isEnabled: (level) => level >= 30,
    debug: keep("DEBUG"),
    info: keep("INFO"),
    warning: keep("WARNING"),
    error: keep("ERROR"),
  };
}

/** A connection over real TCP, and the peer's end of it. */
async function pair(logger?: WireLogger, read = true) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const peer = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const connection = new Connection(await listener.accept(), { logger });
  listener.close();
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  const reading = read
    ? readLines(peer, (line) => {
      lines.push(decoder.decode(line));
      for (const wake of waiters.splice(0)) wake();
    }).catch(() => {})
    : Promise.resolve();
  return {
    connection,
    peer,
    lines,
    send: (text: string) => peer.write(encoder.encode(text)),
    async until(count: number) {
      while (lines.length < count) await new Promise<void>((wake) => waiters.push(wake));
    },
    async end() {
      peer.close();
      await reading;
    },
  };
}

Deno.test("work after an answer that throws neither answers the id again nor stops the session", async () => {
  const logger = recorder();
  const p = await pair(logger);
  p.connection.method("later", {
    handler: () =>
      new AnswerThen("done", () => {
        throw new Error("the work after the answer failed");
      }),
  });
  p.connection.method("now", {
    immediate: true,
    handler: () =>
      new AnswerThen("done", () => {
        throw new Error("the immediate work after the answer failed");
      }),
  });
  p.connection.method("ping", { immediate: true, handler: () => null });
  const running = p.connection.run();
  await p.send(
    '{"jsonrpc":"2.0","id":1,"method":"later"}\n{"jsonrpc":"2.0","id":2,"method":"now"}\n',
  );
  await p.until(2);
  await p.send('{"jsonrpc":"2.0","id":3,"method":"ping"}\n');
  await p.until(3);
  const answers = p.lines.map((line) => JSON.parse(line));
  assertEquals(answers.map((a) => a.id).sort(), [1, 2, 3]);
  assertEquals(answers.filter((a) => a.id !== 3).map((a) => a.result), ["done", "done"]);
  assert(logger.lines.some((l) => l.startsWith("ERROR The work that follows the answer to later")));
  await p.end();
  await running;
  p.connection.close();
});

Deno.test("ids beyond 2^53 inside a batch are echoed exactly, as outside one", async () => {
  const p = await pair();
  p.connection.method("echo", { immediate: true, handler: (params) => params });
  p.connection.method("slow", { handler: async () => (await sleep(1), "slow") });
  const running = p.connection.run();
  await p.send(
    '[{"jsonrpc":"2.0","id":12345678901234567891,"method":"echo"},' +
      '{"jsonrpc":"2.0","id":12345678901234567892,"method":"slow"},' +
      '{"jsonrpc":"2.0","method":"echo"},' +
      '{"jsonrpc":"2.0","id":9007199254740993,"method":"echo"}]\n' +
      '{"jsonrpc":"2.0","id":12345678901234567893,"method":"echo"}\n',
  );
  await p.until(2);
  const [batch, single] = p.lines[0].startsWith("[") ? p.lines : [p.lines[1], p.lines[0]];
  // Parsed as numbers these ids would collide; the text must carry every digit.
  for (const id of ["12345678901234567891", "12345678901234567892", "9007199254740993"]) {
    assert(batch.includes(`"id":${id},`), batch);
  }
  assertEquals(JSON.parse(batch).length, 3);
  assert(single.includes('"id":12345678901234567893,'), single);
  await p.end();
  await running;
  p.connection.close();
});

Deno.test("a peer that stops reading stops the reading of its requests; its end is reported", async () => {
  const logger = recorder();
  const p = await pair(logger, false);
  const answer = "x".repeat(8 << 20);
  let calls = 0;
  p.connection.method("big", {
    handler: () => {
      calls++;
      return answer;
    },
  });
  // The peer never reads: its socket fills, our queue fills, and we stop reading.
  const running = p.connection.run();
  const requests = Array.from(
    { length: 50 },
    (_, k) => `{"jsonrpc":"2.0","id":${k},"method":"big"}\n`,
  ).join("");
  await p.send(requests);
  while (calls === 0) await sleep(10);
  await sleep(300); // Room for more calls to happen, if reading went on (it must not).
  // Without backpressure all 50 lines of that one read would be answered, 400 MB queued.
  assert(calls <= 3, `${calls} requests were handled while the peer read nothing`);
  p.peer.close();
  await running; // Ends although the peer's end was never read: the failed write ends it.
  p.connection.close();
  assert(
    logger.lines.some((l) => l.startsWith("WARNING Writing to Galaxy failed")),
    logger.lines.join("\n"),
  );
});
