/**
 * A small leveled logger that writes one line per record to stderr.
 *
 * @module
 */
import { SecretSet } from "./redact.ts";

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

function flushStderr(): void {
  flushQueued = false;
  if (pending === "") return;
  const bytes = encoder.encode(pending);
  pending = "";
  let offset = 0;
  try {
    while (offset < bytes.length) offset += Deno.stderr.writeSync(bytes.subarray(offset));
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
  /** Credentials, cookies, tokens: the newest 512 kept. */
  secrets: SecretSet;
  /**
   * Strings of the persistent cache, kept apart with their own small budget: a large cache
   * must neither crowd out the credentials nor mask every short word of the log.
   */
  cacheSecrets: SecretSet;
  /** Values that come and go (cookies): their own budget, so a flood cannot evict credentials. */
  rotatingSecrets: SecretSet;
}

const state: LogState = {
  level: levelFromEnv() ?? LogLevel.Info,
  sink: stderrSink,
  secrets: new SecretSet(),
  cacheSecrets: new SecretSet({ capacity: 256, minLength: 12, evictOldest: false }),
  rotatingSecrets: new SecretSet({ capacity: 4096 }),
};

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
   * The values come from the persistent cache: kept under a separate, smaller budget, and
   * only strings of 12 characters or more.
   */
  fromCache?: boolean;
  /**
   * The values come and go by the thousand (cookie values a server sets): kept under their
   * own budget, newest first, which can never push a credential out.
   */
  rotating?: boolean;
}

/**
 * Registers every string inside `value` as a secret that no later log line may contain.
 *
 * @example
 * ```ts
 * import { addSecrets } from "./logger.ts";
 * addSecrets({ refreshToken: "rt-0123456789" });
 * addSecrets({ greeting: "a cached string value" }, { fromCache: true });
 * ```
 */
export function addSecrets(value: unknown, options: AddSecretsOptions = {}): void {
  (options.fromCache
    ? state.cacheSecrets
    : options.rotating
    ? state.rotatingSecrets
    : state.secrets).addFrom(value);
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
    text = state.rotatingSecrets.scrub(state.cacheSecrets.scrub(state.secrets.scrub(text)));
    // One record must stay one line, whatever the message holds.
    if (text.includes("\n")) text = text.replace(/\r?\n/g, "\\n");
    state.sink(`${timestamp()} ${LEVEL_NAMES[level]} ${this.name}: ${text}\n`);
    if (level >= LogLevel.Warning) flushStderr();
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
