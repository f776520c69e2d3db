/**
 * Starting things for Galaxy's launch, install and uninstall actions: a URL scheme handed to
 * the system (`steam://run/…`, `myplatform://install/…`) or an executable started detached.
 *
 * | system | URL opener | executable |
 * |---|---|---|
 * | Linux | `xdg-open <url>` | spawned detached |
 * | macOS | `open <url>` | spawned detached |
 * | Windows | `rundll32.exe url.dll,FileProtocolHandler <url>` | spawned detached |
 *
 * {@linkcode openDocument} hands a document, a folder or a URL to the same opener, which
 * starts the program the system associates with it (what Python's `os.startfile` does).
 *
 * Permissions: `--allow-run` for the opener (`"run": ["xdg-open"]`, `["open"]` or
 * `["rundll32.exe"]`) or the executable, and `--allow-read` for the existence check of an
 * executable or a document. A denied one is a {@linkcode LaunchError} naming the
 * `deno.json` grant. Only Linux is run by our tests. On Windows nothing opens
 * a console window: rundll32 is a GUI program, and a detached spawn gives a console program
 * no console (Deno's detached spawn, derived from libuv, uses DETACHED_PROCESS); a game
 * itself is a GUI program anyway.
 *
 * @module
 */
import { isDenied, PermissionNeeded } from "./permission.ts";

/**
 * A launch that could not be made; the message says what to fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LaunchError } from "@galaxy-ts/runtime/local";
 * const error = new LaunchError("/usr/games/game", "cannot start /usr/games/game: not a file");
 * assert(error.name === "LaunchError" && error.target === "/usr/games/game");
 * ```
 */
export class LaunchError extends Error {
  /** What was to be started. */
  readonly target: string;

  /** Creates the error. */
  constructor(target: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "LaunchError";
    this.target = target;
  }
}

/**
 * Options of {@linkcode launch}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type LaunchOptions } from "@galaxy-ts/runtime/local";
 * const options: LaunchOptions = { args: ["--fullscreen"], env: { LANG: "en_US.UTF-8" } };
 * assert(options.args?.[0] === "--fullscreen");
 * ```
 */
export interface LaunchOptions {
  /** Arguments of an executable (not used for a URL). */
  args?: string[];
  /** The executable's working directory; by default its own folder. */
  cwd?: string;
  /** Extra environment variables for an executable. */
  env?: Record<string, string>;
  /**
   * The command that opens a URL, the URL appended as its last argument; by default the
   * system's own (see the module docs).
   */
  opener?: string[];
}

/**
 * Whether `target` is a URL with a scheme (`steam://…`, `https://…`, `mailto:…`) rather than
 * a file path. A one-letter scheme is a Windows drive (`C:\…`), so a path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isUrl } from "@galaxy-ts/runtime/local";
 * assert(isUrl("steam://rungameid/440"));
 * assert(!isUrl("C:\\Games\\game.exe") && !isUrl("/usr/games/game"));
 * ```
 */
export function isUrl(target: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(target);
}

/**
 * The command that opens `url` with the system's handler for its scheme.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { openerCommand } from "@galaxy-ts/runtime/local";
 * assert(openerCommand("linux")[0] === "xdg-open");
 * ```
 */
export function openerCommand(os: typeof Deno.build.os = Deno.build.os): string[] {
  if (os === "windows") return ["rundll32.exe", "url.dll,FileProtocolHandler"];
  if (os === "darwin") return ["open"];
  return ["xdg-open"];
}

/**
 * Opens a URL scheme or starts an executable, detached: it goes on running when the
 * integration ends, and the integration does not wait for it. Resolves with the started
 * process's id once it is started; rejects with {@linkcode LaunchError} when the executable
 * or the system's URL opener is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { launch, LaunchError } from "@galaxy-ts/runtime/local";
 * try {
 *   await launch("/nowhere/game.x86_64");
 * } catch (error) {
 *   assert(error instanceof LaunchError && error.message.includes("/nowhere/game.x86_64"));
 * }
 * ```
 */
export async function launch(target: string, options: LaunchOptions = {}): Promise<number> {
  if (isUrl(target)) return openWithOpener("launch()", target, options.opener);
  const info = await statTarget("launch()", target, "start", "is the game installed?");
  if (!info.isFile) throw new LaunchError(target, `cannot start ${target}: not a file`);
  const cwd = options.cwd ??
    target.slice(0, Math.max(target.lastIndexOf("/"), target.lastIndexOf("\\")) + 1);
  return spawnDetached(
    "launch()",
    target,
    target,
    options.args ?? [],
    { cwd: cwd || undefined, env: options.env },
    () => `cannot start ${target}: not an executable the system can run`,
  );
}

/**
 * Opens a document, a folder or a URL with the program the system associates with it,
 * detached, as Python's `os.startfile`, macOS's `open` and `xdg-open` do. Resolves with the
 * opener's process id once it is started; rejects with {@linkcode LaunchError} when the
 * document or the system's opener is missing, or a permission is not granted.
 *
 * @param target A path (checked to exist first) or a URL.
 * @param options `opener` replaces the system's opener (see {@linkcode LaunchOptions}).
 * @returns The opener's process id.
 * @throws {LaunchError} When the document or the opener is missing, or not permitted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LaunchError, openDocument } from "@galaxy-ts/runtime/local";
 * try {
 *   await openDocument("/nowhere/manual.pdf");
 * } catch (error) {
 *   assert(error instanceof LaunchError && error.message.includes("no such file"));
 * }
 * ```
 */
export async function openDocument(
  target: string,
  options: Pick<LaunchOptions, "opener"> = {},
): Promise<number> {
  if (!isUrl(target)) await statTarget("openDocument()", target, "open", "is it there?");
  return openWithOpener("openDocument()", target, options.opener);
}

function openWithOpener(helper: string, target: string, opener?: string[]): number {
  const [program, ...args] = opener ?? openerCommand();
  return spawnDetached(
    helper,
    target,
    program,
    [...args, target],
    {},
    (missing) =>
      `cannot open ${target}: the ${
        isUrl(target) ? "URL " : ""
      }opener "${missing}" is not installed` +
      (program === "xdg-open" ? " (install xdg-utils)" : ""),
  );
}

async function statTarget(
  helper: string,
  target: string,
  verb: string,
  hint: string,
): Promise<Deno.FileInfo> {
  try {
    return await Deno.stat(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new LaunchError(target, `cannot ${verb} ${target}: no such file (${hint})`);
    }
    const reason = isDenied(error)
      ? new PermissionNeeded(helper, "read", target).message
      : (error as Error).message;
    throw new LaunchError(target, `cannot ${verb} ${target}: ${reason}`, { cause: error });
  }
}

function spawnDetached(
  helper: string,
  target: string,
  program: string,
  args: string[],
  extra: { cwd?: string; env?: Record<string, string> },
  missingMessage: (program: string) => string,
): number {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, {
      args,
      cwd: extra.cwd,
      env: extra.env,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
  } catch (error) {
    if (isDenied(error)) {
      const needed = new PermissionNeeded(helper, "run", program).message;
      throw new LaunchError(target, `cannot start ${program}: ${needed}`, { cause: error });
    }
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      throw new LaunchError(target, missingMessage(program), { cause: error });
    }
    throw new LaunchError(target, `cannot start ${program}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // The integration must be able to exit while the game runs, and never waits for it.
  child.unref();
  child.status.catch(() => {});
  return child.pid;
}
