/**
 * The record of a simulator session: every line either side wrote, with secrets masked,
 * one JSON object per line, so that it can be read, diffed, and replayed.
 *
 * @module
 */
import { redact, SecretSet } from "../../log/mod.ts";
import { SENSITIVE, type Side } from "../../testing/mod.ts";
import { SimError } from "./errors.ts";
import { restrict } from "./state.ts";

/** One line of a transcript file. */
export interface TranscriptEntry {
  /** Milliseconds since the session started. */
  t: number;
  /** Who wrote the line, for messages. */
  from?: Side;
  /** The message, secrets masked as "****". */
  message?: Record<string, unknown>;
  /** A line that was not JSON, as text. */
  raw?: string;
  /** A protocol violation found at this point. */
  violation?: string;
  /** A line of the integration's own output (its log). */
  output?: string;
  /** The first entry: what ran. */
  transcript?: { version: 1; command: string[]; started: string };
}

type Message = Record<string, unknown>;

/**
 * Writes a transcript as the session goes, masking what Galaxy keeps secret: stored
 * credentials, login credentials and cookies, the cache, `store_credentials`,
 * `refresh_credentials`, and the session token. Every secret string seen is also scrubbed
 * wherever else it turns up (a game title, an error message, the integration's log).
 */
export class TranscriptWriter {
  /** Strings that must never be written; shared with whatever else the simulator prints. */
  readonly secrets: SecretSet;
  #file: Deno.FsFile | null;
  #started = performance.now();
  #galaxyRequests = new Map<unknown, string>();
  #integrationRequests = new Map<unknown, string>();
  #encoder = new TextEncoder();

  private constructor(file: Deno.FsFile | null, secrets: SecretSet) {
    this.#file = file;
    this.secrets = secrets;
  }

  /**
   * Opens `path` (replacing it) and writes the header; `null` writes nothing but still
   * masks (for `--no-transcript`).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { TranscriptWriter } from "./transcript.ts";
   * const path = await Deno.makeTempFile();
   * const writer = await TranscriptWriter.open(path, ["deno", "run", "plugin.ts"], "t0k3n-secret");
   * writer.message("galaxy", { jsonrpc: "2.0", id: 1, method: "init_authentication",
   *   params: { stored_credentials: { token: "hunter2-token" } } });
   * writer.close();
   * const text = await Deno.readTextFile(path);
   * assert(!text.includes("hunter2-token") && text.includes('"****"'));
   * ```
   */
  static async open(
    path: string | null,
    command: readonly string[],
    token: string,
    secrets: SecretSet = new SecretSet(),
  ): Promise<TranscriptWriter> {
    let file: Deno.FsFile | null = null;
    if (path !== null) {
      try {
        const dir = path.replace(/[\\/][^\\/]*$/, "");
        if (dir !== path) await Deno.mkdir(dir, { recursive: true });
        file = await Deno.open(path, { write: true, create: true, truncate: true, mode: 0o600 });
        // `mode` applies only to a new file: one left by an older run may be readable by all.
        await restrict(path);
      } catch (error) {
        throw new SimError(`cannot write the transcript ${path}: ${(error as Error).message}`);
      }
    }
    const writer = new TranscriptWriter(file, secrets);
    writer.secrets.addFrom(token);
    writer.#write({
      t: 0,
      transcript: { version: 1, command: [...command], started: new Date().toISOString() },
    });
    return writer;
  }

  /** Records a message (or, when `message` is undefined, a raw line) written by `from`. */
  message(from: Side, message: unknown, raw?: string): void {
    const t = this.#now();
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      this.#write({ t, from, raw: raw ?? String(message) });
      return;
    }
    this.#write({ t, from, message: this.#mask(from, message as Message) });
  }

  /** Records a protocol violation. */
  violation(text: string): void {
    this.#write({ t: this.#now(), violation: text });
  }

  /** Records a line of the integration's output; returns it with secrets scrubbed. */
  output(line: string): string {
    const scrubbed = this.secrets.scrub(line);
    this.#write({ t: this.#now(), output: scrubbed });
    return scrubbed;
  }

  /** Closes the file. */
  close(): void {
    this.#file?.close();
    this.#file = null;
  }

  #mask(from: Side, message: Message): Message {
    const { id, method } = message;
    const isAnswer = "result" in message || "error" in message;
    if (from === "galaxy") {
      if (typeof method === "string") {
        if (id !== undefined) this.#galaxyRequests.set(id, method);
        const sensitive = SENSITIVE.galaxyParams[method];
        if (!sensitive) return message;
        this.#collect(message.params, sensitive, method !== "initialize_cache");
        return { ...message, params: redact(message.params, sensitive) };
      }
      // Our answer to the integration's request: refresh_credentials answers are secrets.
      if (isAnswer && this.#integrationRequests.has(id)) {
        this.secrets.addFrom(message.result);
        return { ...message, result: redact(message.result, true) };
      }
      return message;
    }
    if (isAnswer) {
      const sensitive = SENSITIVE.galaxyResults[this.#galaxyRequests.get(id) ?? ""];
      if (!sensitive || message.result === null || typeof message.result !== "object") {
        return message;
      }
      return { ...message, result: redact(message.result, sensitive) };
    }
    if (typeof method !== "string") return message;
    if (id !== undefined) this.#integrationRequests.set(id, method);
    const sensitive = SENSITIVE.integrationParams[method];
    if (!sensitive) return message;
    // The cache is masked but not hunted for elsewhere: it holds ordinary strings too.
    this.#collect(message.params, sensitive, method !== "push_cache");
    return { ...message, params: redact(message.params, sensitive) };
  }

  #collect(params: unknown, sensitive: boolean | readonly string[], hunt: boolean): void {
    if (!hunt || params === null || typeof params !== "object") return;
    if (sensitive === true) this.secrets.addFrom(params);
    else if (Array.isArray(sensitive)) {
      for (const key of sensitive) this.secrets.addFrom((params as Message)[key]);
    }
  }

  #now(): number {
    return Math.round(performance.now() - this.#started);
  }

  #write(entry: TranscriptEntry): void {
    if (!this.#file) return;
    const bytes = this.#encoder.encode(this.secrets.scrub(JSON.stringify(entry)) + "\n");
    for (let offset = 0; offset < bytes.length;) {
      offset += this.#file.writeSync(bytes.subarray(offset));
    }
  }
}

/**
 * Reads a transcript file written by {@linkcode TranscriptWriter}.
 *
 * @example
 * ```ts ignore
 * import { readTranscript } from "./transcript.ts";
 * const entries = await readTranscript(".galaxy/generic/transcript.jsonl");
 * ```
 */
export async function readTranscript(path: string): Promise<TranscriptEntry[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new SimError(`cannot read the transcript ${path}: ${(error as Error).message}`);
  }
  const entries: TranscriptEntry[] = [];
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      throw new SimError(`${path}:${i + 1} is not JSON: is this a galaxy sim transcript?`);
    }
  }
  if (!entries[0]?.transcript) {
    throw new SimError(`${path} has no transcript header: is this a galaxy sim transcript?`);
  }
  return entries;
}
