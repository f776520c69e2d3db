/**
 * The benchmark's ceiling: an integration written by hand against the socket, with no
 * framework and none of the runtime's code. It answers only what the benchmark's
 * workloads ask (capabilities, the cache, ping, owned games, the game-times and
 * achievements imports, shutdown) with the fixture's data, and does nothing else: no
 * validation of records, no logging, no batching beyond one write per burst. The runtime
 * is measured as a ratio to it.
 *
 * `deno run -A bench/lean_plugin.ts <token> <port>`; `FIXTURE_GAMES` sets the number of
 * owned games (default 3).
 *
 * @module
 */

const [token, portText] = Deno.args;
const games = Number(Deno.env.get("FIXTURE_GAMES") ?? "3");
const socket = await Deno.connect({ hostname: "127.0.0.1", port: Number(portText) });
socket.setNoDelay(true);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Output: lines queue up while a write is in flight and leave together in the next one,
// so a burst of notifications costs one syscall, not one per line.
let pending: string[] = [];
let flushing: Promise<void> | undefined;

function write(text: string): void {
  pending.push(text);
  flushing ??= flush();
}

async function flush(): Promise<void> {
  while (pending.length > 0) {
    const bytes = encoder.encode(pending.join(""));
    pending = [];
    let offset = 0;
    while (offset < bytes.length) offset += await socket.write(bytes.subarray(offset));
  }
  flushing = undefined;
}

const answer = (id: unknown, result: string) =>
  write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${result}}\n`);

const refuse = (id: unknown, code: number, message: string, type: string) =>
  write(
    JSON.stringify({
      jsonrpc: "2.0",
      id,
      error: { code, message, data: { internal_type: type } },
    }) + "\n",
  );

const notification = (method: string, params: string) =>
  `{"jsonrpc":"2.0","method":"${method}","params":${params}}\n`;

// The fixture's data (tests/fixtures/fixture_plugin.ts), built as JSON text directly.
const LICENSE = `{"license_type":"SinglePurchase"}`;

function ownedGame(i: number): string {
  const dlc = i % 10 === 0
    ? `,"dlcs":[{"dlc_id":"d${i}","dlc_title":"DLC ${i}","license_info":${LICENSE}}]`
    : "";
  return `{"game_id":"g${i}","game_title":"Game ${i}","license_info":${LICENSE}${dlc}}`;
}

/** A per-id import: its notifications and how one id's success reads. */
interface PerId {
  readonly success: string;
  readonly failure: string;
  readonly finished: string;
  readonly record: (id: string, i: number) => string;
}

const PER_ID: Record<string, PerId> = {
  start_game_times_import: {
    success: "game_time_import_success",
    failure: "game_time_import_failure",
    finished: "game_times_import_finished",
    record: (id, i) =>
      `{"game_time":{"game_id":"${id}","time_played":${i % 1000},"last_played_time":${
        1700000000 + i
      }}}`,
  },
  start_achievements_import: {
    success: "game_achievements_import_success",
    failure: "game_achievements_import_failure",
    finished: "achievements_import_finished",
    record: (id, i) =>
      `{"game_id":"${id}","unlocked_achievements":[{"achievement_id":"a${i}_1",` +
      `"achievement_name":"First","unlock_time":${1600000000 + i}},` +
      `{"achievement_id":"a${i}_2","unlock_time":${1600000001 + i}}]}`,
  },
};

const importing = new Set<string>();
const GAME_ID = /^g(0|[1-9][0-9]*)$/;

/** Lines per write of an import: the first arrive early, no string grows unbounded. */
const CHUNK = 2048;

/** Sends one notification per id, then the end of the import, after the answer. */
function runImport(method: string, ids: unknown[]): void {
  const kind = PER_ID[method];
  let lines: string[] = [];
  for (const id of ids) {
    if (lines.length === CHUNK) {
      write(lines.join(""));
      lines = [];
    }
    const match = typeof id === "string" ? GAME_ID.exec(id) : null;
    lines.push(
      match
        ? notification(kind.success, kind.record(id as string, Number(match[1])))
        : notification(
          kind.failure,
          `{"game_id":${
            JSON.stringify(id)
          },"error":{"code":6,"message":"Backend responded in unknown way","data":{"internal_type":"UnknownBackendResponse"}}}`,
        ),
    );
  }
  lines.push(notification(kind.finished, "null"));
  write(lines.join(""));
  importing.delete(method);
}

function shutdown(id: unknown): void {
  answer(id, "null");
  (flushing ?? Promise.resolve()).then(() => {
    socket.close();
    Deno.exit(0);
  });
}

function onMessage(text: string): void {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return refuse(null, -32700, "Parse error", "ParseError");
  }
  const { id, method } = message ?? {};
  if (id === undefined) return; // a notification: none matters here
  switch (method) {
    case "get_capabilities":
      return answer(
        id,
        JSON.stringify({
          platform_name: "test",
          features: ["ImportOwnedGames", "ImportAchievements", "ImportGameTime"],
          token,
        }),
      );
    case "initialize_cache":
    case "ping":
      return answer(id, "null");
    case "import_owned_games": {
      const list = new Array<string>(games);
      for (let i = 0; i < games; i++) list[i] = ownedGame(i);
      return answer(id, `{"owned_games":[${list.join(",")}]}`);
    }
    case "shutdown":
      return shutdown(id);
  }
  if (!(method in PER_ID)) return refuse(id, -32601, "Method not found", "MethodNotFound");
  const ids = message.params?.game_ids;
  if (!Array.isArray(ids)) return refuse(id, -32602, "Invalid params", "InvalidParams");
  if (importing.has(method)) {
    return refuse(id, 600, "Import already in progress", "ImportInProgress");
  }
  importing.add(method);
  answer(id, "null");
  queueMicrotask(() => runImport(method, ids));
}

// Input: split on newlines; a line cut by a read is kept in pieces until its end arrives.
const buffer = new Uint8Array(1 << 20);
let carry: Uint8Array[] = [];
for (;;) {
  const read = await socket.read(buffer);
  if (read === null) break;
  const chunk = buffer.subarray(0, read);
  let start = 0;
  let end = chunk.indexOf(10);
  while (end !== -1) {
    let line = chunk.subarray(start, end);
    if (carry.length > 0) {
      carry.push(line);
      const joined = new Uint8Array(carry.reduce((size, part) => size + part.length, 0));
      let at = 0;
      for (const part of carry) {
        joined.set(part, at);
        at += part.length;
      }
      line = joined;
      carry = [];
    }
    if (line.length > 0) onMessage(decoder.decode(line));
    start = end + 1;
    end = chunk.indexOf(10, start);
  }
  if (start < read) carry.push(chunk.slice(start));
}
await flushing;
Deno.exit(0);
