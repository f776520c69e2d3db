/**
 * A small leveled logger that writes one line per record to stderr.
 *
 * @module
 */
import { addText, MIN_SECRET_LENGTH, SecretSet, SecretWalk } from "./secrets.ts";

/**
 * Log levels, numbered as Python's `logging` numbers them, so that a launcher can map a
 * line's level one to one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogLevel } from "./logger.ts";
 * assert(LogLevel.Warning > LogLevel.Info);
 * ```
 */
export const LogLevel = {
  Debug: 10,
  Info: 20,
  Warning: 30,
  Error: 40,
  Critical: 50,
} as const;

/**
 * One of the values of {@linkcode LogLevel}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogLevel } from "./logger.ts";
 * const level: LogLevel = LogLevel.Debug;
 * assert(level === 10);
 * ```
 */
export type LogLevel = typeof LogLevel[keyof typeof LogLevel];

const LEVEL_NAMES: Record<number, string> = {
  10: "DEBUG",
  20: "INFO",
  30: "WARNING",
  40: "ERROR",
  50: "CRITICAL",
};

/** Where formatted lines go; each call gets one whole line with its `\n`. */
export type LogSink = (line: string) => void;

const encoder = new TextEncoder();
const MAX_PENDING = 1 << 16;

// Lines reach stderr in batches, one write per burst of work (when the current microtask
// queue is done) instead of one system call per line: at debug level, writing each line
// alone cost as much as the work being logged. Warnings and worse flush at once, with what
// is pending before them, so that nothing important waits behind a crash.
let pending = "";
let flushQueued = false;

function stderrSink(line: string): void {
  pending += line;
  if (pending.length >= MAX_PENDING) flushStderr();
  else if (!flushQueued) {
    flushQueued = true;
    queueMicrotask(flushStderr);
  }
}

/**
 * Where a batch is encoded when it surely fits (a UTF-16 unit is three bytes at most): a
 * fresh buffer per write was an allocation outside the heap for every line of a ping-pong.
 */
const scratch = new Uint8Array(3 * MAX_PENDING);

function flushStderr(): void {
  flushQueued = false;
  if (pending === "") return;
  const bytes = pending.length * 3 <= scratch.length
    ? scratch.subarray(0, encoder.encodeInto(pending, scratch).written)
    : encoder.encode(pending);
  pending = "";
  let offset = 0;
  try {
    while (offset < bytes.length) {
      offset += Deno.stderr.writeSync(offset === 0 ? bytes : bytes.subarray(offset));
    }
  } catch {
    // A closed stderr must never take the integration down with it.
  }
}

let stampedAt = NaN;
let stamp = "";

/** The ISO time of now, formatted once per millisecond however many lines share it. */
function timestamp(): string {
  const now = Date.now();
  if (now !== stampedAt) {
    stampedAt = now;
    stamp = new Date(now).toISOString();
  }
  return stamp;
}

/** Shared by every logger: the threshold, the sink and the secrets to scrub. */
interface LogState {
  level: number;
  sink: LogSink;
  /** Every secret value seen: credentials, cookies, tokens, the cache's values. */
  secrets: SecretSet;
}

const state: LogState = {
  level: levelFromEnv() ?? LogLevel.Info,
  sink: stderrSink,
  secrets: new SecretSet(),
};

/** Cache values shorter than this are not secrets: a cache holds ordinary words too. */
const CACHE_MIN_LENGTH = 12;
/** Members of a structure indexed at once; the rest waits until the current work is done. */
const SYNC_BUDGET = 4096;
/** How long indexing waits after the work that registered a large structure. */
const INDEX_DELAY_MS = 50;
/** Lines held back while indexing waits, beyond which it is done at once. */
const MAX_HELD = 1024;

// A large structure (a 50 MB cache) is indexed after the current work, so that Galaxy's
// answer is not held up by it. Until then no line may be written, since it could show a
// value not indexed yet: lines are held and written, scrubbed, once the index is complete.
// A warning or worse completes the index at once, so nothing important waits.
const walks: SecretWalk[] = [];
const held: { level: number; name: string; text: string; at: string }[] = [];
let indexScheduled = false;

function completeIndex(): void {
  indexScheduled = false;
  for (const walk of walks.splice(0)) walk.step(Infinity);
  for (const line of held.splice(0)) write(line.level, line.name, line.text, line.at);
}

// Deno.exit (runPlugin's end) runs no more timers: held lines are written on the way out.
globalThis.addEventListener?.("unload", () => {
  if (walks.length > 0 || held.length > 0) completeIndex();
  flushStderr();
});

/** Calls `fn` in `ms`; a web timer (the first `setTimeout` loads Node's timers). */
function later(ms: number, fn: () => void): void {
  AbortSignal.timeout(ms).addEventListener("abort", fn, { once: true });
}

function scheduleIndex(): void {
  if (indexScheduled) return;
  indexScheduled = true;
  // A moment for the pending writes (Galaxy's answer) to go out and be read, so that the
  // index's work does not compete with them for the CPU.
  later(INDEX_DELAY_MS, () => indexScheduled && completeIndex());
}

/** Writes one line; a held line keeps the time it was logged at, not the time it is written. */
function write(level: number, name: string, text: string, at = timestamp()): void {
  text = state.secrets.scrub(text);
  // One record must stay one line, whatever the message holds.
  if (text.includes("\n")) text = text.replace(/\r?\n/g, "\\n");
  state.sink(`${at} ${LEVEL_NAMES[level]} ${name}: ${text}\n`);
  if (level >= LogLevel.Warning) flushStderr();
}

function levelFromEnv(): number | undefined {
  try {
    return parseLevel(Deno.env.get("GALAXY_LOG_LEVEL") ?? "");
  } catch {
    return undefined; // No env permission: keep the default.
  }
}

/**
 * Reads a level name ("debug", "INFO", …) or number; undefined for anything else.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LogLevel, parseLevel } from "./logger.ts";
 * assert(parseLevel("debug") === LogLevel.Debug);
 * ```
 */
export function parseLevel(text: string): LogLevel | undefined {
  const upper = text.trim().toUpperCase();
  for (const [value, name] of Object.entries(LEVEL_NAMES)) {
    if (name === upper || value === upper) return Number(value) as LogLevel;
  }
  return undefined;
}

/**
 * Sets the lowest level that is written, for every logger.
 *
 * @example
 * ```ts
 * import { LogLevel, setLogLevel } from "./logger.ts";
 * setLogLevel(LogLevel.Debug);
 * setLogLevel(LogLevel.Info);
 * ```
 */
export function setLogLevel(level: LogLevel): void {
  state.level = level;
}

/**
 * Sends every line to `sink` instead of stderr (tests use it); returns the previous sink.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getLogger, setLogSink } from "./logger.ts";
 * const lines: string[] = [];
 * const previous = setLogSink((line) => lines.push(line));
 * getLogger("demo").warning("hello");
 * setLogSink(previous);
 * assert(lines[0].includes("WARNING demo: hello"));
 * ```
 */
export function setLogSink(sink: LogSink): LogSink {
  const previous = state.sink;
  state.sink = sink;
  return previous;
}

/** Options of {@linkcode addSecrets}. */
export interface AddSecretsOptions {
  /**
   * The values come from the persistent cache, which holds ordinary strings too: only
   * values of 12 characters or more are kept.
   *
   * @default false
   */
  fromCache?: boolean;
}

/**
 * Registers every value inside `value` (strings and numbers, at any depth, of any size) as
 * a secret that no later log line may contain. Structural members (a cookie's `name`,
 * `domain` and `path`, a `host`) stay readable. A large structure, and the cache whatever
 * its size, is indexed a moment later; log lines wait for it (a warning completes it at
 * once), so none can show a value not indexed yet.
 *
 * @param value Credentials, cookies, a token, a cache: anything.
 * @param options Where the values come from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addSecrets, scrubSecrets } from "./logger.ts";
 * addSecrets({ cookie: { name: "sess", value: "rt-0123456789", domain: ".example.com" } });
 * assert(scrubSecrets("sess=rt-0123456789 for .example.com") === "sess=**** for .example.com");
 * ```
 */
export function addSecrets(value: unknown, options: AddSecretsOptions = {}): void {
  // What the walk of a lone string does, without the walk (every session adds its token).
  if (typeof value === "string" && !options.fromCache) {
    return addText(state.secrets, value, MIN_SECRET_LENGTH);
  }
  const walk = new SecretWalk(
    state.secrets,
    value,
    options.fromCache ? CACHE_MIN_LENGTH : MIN_SECRET_LENGTH,
  );
  // The cache can be 50 MB: even listing its keys would hold Galaxy's answer up. It is
  // indexed in a moment, like what is left of a large credentials structure.
  if (!options.fromCache && walk.step(SYNC_BUDGET)) return;
  walks.push(walk);
  scheduleIndex();
}

/**
 * Returns `text` with every registered secret masked, as the log masks it: for an
 * integration's own output that is not a log line (a file, a message shown to the user).
 *
 * @param text Any text.
 * @returns `text` with each secret value replaced by `****`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addSecrets, scrubSecrets } from "./logger.ts";
 * addSecrets("api-key-5f1e2d");
 * assert(scrubSecrets("key api-key-5f1e2d refused") === "key **** refused");
 * ```
 */
export function scrubSecrets(text: string): string {
  if (walks.length > 0) completeIndex();
  return state.secrets.scrub(text);
}

/**
 * A named logger. Messages are formatted only when their level is enabled; pass a
 * function to defer building an expensive message too.
 *
 * @example
 * ```ts
 * import { getLogger } from "./logger.ts";
 * const log = getLogger("my_integration");
 * log.info("imported 3 games");
 * log.debug(() => `state: ${JSON.stringify({ a: 1 })}`);
 * ```
 */
export class Logger {
  /** The name printed on every line. */
  readonly name: string;

  /** Creates a logger; {@linkcode getLogger} is the usual way. */
  constructor(name: string) {
    this.name = name;
  }

  /** Whether a record at `level` would be written. */
  isEnabled(level: LogLevel): boolean {
    return level >= state.level;
  }

  /** Writes a record at `level`; `error`'s stack, if any, follows the message. */
  log(level: LogLevel, message: string | (() => string), error?: unknown): void {
    if (level < state.level) return;
    let text = typeof message === "function" ? message() : message;
    if (error !== undefined) text += ": " + describeError(error);
    if (walks.length > 0) {
      if (level < LogLevel.Warning && held.length < MAX_HELD) {
        held.push({ level, name: this.name, text, at: timestamp() });
        return;
      }
      completeIndex();
    }
    write(level, this.name, text);
  }

  /** Writes at debug level. */
  debug(message: string | (() => string), error?: unknown): void {
    this.log(LogLevel.Debug, message, error);
  }

  /** Writes at info level. */
  info(message: string | (() => string), error?: unknown): void {
    this.log(LogLevel.Info, message, error);
  }

  /** Writes at warning level. */
  warning(message: string | (() => string), error?: unknown): void {
    this.log(LogLevel.Warning, message, error);
  }

  /** Writes at error level. */
  error(message: string | (() => string), error?: unknown): void {
    this.log(LogLevel.Error, message, error);
  }

  /** Writes at critical level. */
  critical(message: string | (() => string), error?: unknown): void {
    this.log(LogLevel.Critical, message, error);
  }
}

const loggers = new Map<string, Logger>();

/**
 * Returns the logger called `name`, creating it once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getLogger } from "./logger.ts";
 * assert(getLogger("a") === getLogger("a"));
 * ```
 */
export function getLogger(name: string): Logger {
  let logger = loggers.get(name);
  if (!logger) loggers.set(name, logger = new Logger(name));
  return logger;
}

/**
 * Describes anything thrown, never throwing itself: an Error's stack (or message), or a
 * string form of any other value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeError } from "./logger.ts";
 * assert(describeError(Object.create(null)) === "[unprintable value]");
 * ```
 */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    if (typeof error === "string") return error;
    return String(error);
  } catch {
    return "[unprintable value]";
  }
}
