/**
 * Starting an integration the way Galaxy does: a listening socket on 127.0.0.1, then the
 * integration's command with `<token> <port>`, then its connection.
 *
 * @module
 */

import { dirname } from "node:path";
import { permissionHint, sandboxFlags } from "../../build/mod.ts";
import { SimError } from "./errors.ts";

/** How {@linkcode resolveCommand} starts a script. */
export interface ResolveOptions {
  /**
   * Run a `.ts`/`.js` integration with every permission (`deno run -A`) instead of the
   * sandbox its binary gets: the visible opt-out of `galaxy sim --allow-all`.
   * @default {false}
   */
  allowAll?: boolean;
}

const DENO_SCRIPTS = new Set([".ts", ".tsx", ".js", ".mjs"]);

/**
 * `deno run` of a script inside the sandbox of the built binary: the permission flags the
 * build bakes in (computed by src/build from the nearest deno.json) and that deno.json as
 * the config, so that imports resolve as in the build.
 */
async function denoRun(script: string, options: ResolveOptions): Promise<string[]> {
  if (options.allowAll) return [Deno.execPath(), "run", "-A", script];
  const permissions = await sandboxFlags(dirname(script), "source");
  if (!permissions.ok) throw new SimError(permissions.problems.join("; "));
  const config = permissions.config ? ["--config", permissions.config] : [];
  return [Deno.execPath(), "run", "--no-prompt", ...config, ...permissions.flags, script];
}

function python(): string[] {
  return [Deno.build.os === "windows" ? "python" : "python3"];
}

function extension(path: string): string {
  const match = /\.[a-z]+$/i.exec(path);
  return match ? match[0].toLowerCase() : "";
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** The entry of an integration folder: its manifest's script, as a .ts source if present. */
async function fromFolder(folder: string, options: ResolveOptions): Promise<string[]> {
  const manifestPath = `${folder}/manifest.json`;
  let script: unknown;
  try {
    script = JSON.parse(await Deno.readTextFile(manifestPath)).script;
  } catch (error) {
    throw new SimError(
      error instanceof Deno.errors.NotFound
        ? `no integration command given and no ${manifestPath}: pass the integration's folder or its entry module (\`galaxy sim plugin.ts\`)`
        : `${manifestPath} is not valid JSON: fix it or pass the integration command`,
    );
  }
  if (typeof script !== "string") {
    throw new SimError(`${manifestPath} has no "script": add one (e.g. "plugin.py")`);
  }
  const source = `${folder}/${script.replace(/\.py$/, ".ts")}`;
  if (script.endsWith(".py") && await isFile(source)) return await denoRun(source, options);
  return [...python(), `${folder}/${script}`];
}

/**
 * Turns what the user typed into the command to start: a folder (its manifest's entry), a
 * single script (run by deno or python3 by its extension), or a full command as given.
 * A `.ts`/`.js` script runs with the permissions its built binary gets, unless
 * `options.allowAll`.
 *
 * @param args What followed the simulator's options.
 * @param options How scripts run.
 * @returns The command and its arguments.
 * @throws {SimError} When no integration can be found or its deno.json grants what the
 * build cannot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveCommand } from "./launch.ts";
 * const command = await resolveCommand(["plugin.py"]);
 * assert(command[1] === "plugin.py");
 * ```
 */
export async function resolveCommand(
  args: readonly string[],
  options: ResolveOptions = {},
): Promise<string[]> {
  if (args.length === 0) return await fromFolder(".", options);
  if (args.length === 1) {
    if (await isDirectory(args[0])) {
      return await fromFolder(args[0].replace(/\/+$/, ""), options);
    }
    if (DENO_SCRIPTS.has(extension(args[0]))) return await denoRun(args[0], options);
    if (extension(args[0]) === ".py") return [...python(), args[0]];
  }
  return [...args];
}

/** A running integration connected to the simulator. */
export interface Launched {
  /** The integration's process. */
  readonly process: Deno.ChildProcess;
  /** Its connection to us. */
  readonly conn: Deno.TcpConn;
  /** Resolves with its exit code. */
  readonly exited: Promise<number>;
  /** One line per permission the sandbox denied it, as its output showed. */
  readonly denials: readonly string[];
}

/**
 * Listens on 127.0.0.1, starts `command` with `<token> <port>`, and waits for it to
 * connect. `onOutput` gets each line the integration writes to stdout or stderr (its log);
 * a line telling of a permission denial is also kept, as one line, in `denials`.
 */
export async function launch(
  command: readonly string[],
  token: string,
  timeoutMs: number,
  onOutput: (line: string) => void,
): Promise<Launched> {
  const denials: string[] = [];
  const onLine = (line: string) => {
    const hint = permissionHint(line);
    if (hint && !denials.includes(hint)) denials.push(hint);
    onOutput(line);
  };
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let process: Deno.ChildProcess;
  try {
    process = new Deno.Command(command[0], {
      args: [...command.slice(1), token, String(listener.addr.port)],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    listener.close();
    throw new SimError(
      error instanceof Deno.errors.NotFound
        ? `cannot start ${command[0]}: no such program (is it installed and on PATH?)`
        : `cannot start ${command.join(" ")}: ${(error as Error).message}`,
    );
  }
  const output = Promise.all([
    lines(process.stdout, onLine),
    lines(process.stderr, onLine),
  ]);
  const exited = process.status.then(async (status) => {
    await output;
    return status.code;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const conn = await Promise.race([
      listener.accept(),
      exited.then((code) => {
        throw new SimError(`the integration exited with code ${code} before connecting`);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new SimError(`the integration did not connect within ${timeoutMs / 1000} s`),
            ),
          timeoutMs,
        );
      }),
    ]);
    conn.setNoDelay(true);
    return { process, conn, exited, denials };
  } catch (error) {
    try {
      process.kill("SIGKILL");
    } catch {
      // Exited already.
    }
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
    listener.close();
  }
}

// Terminal colours: a log read in a report or a transcript is plain text.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

async function lines(stream: ReadableStream<Uint8Array>, onLine: (line: string) => void) {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    rest += chunk;
    let nl: number;
    while ((nl = rest.indexOf("\n")) >= 0) {
      onLine(rest.slice(0, nl).replace(/\r$/, "").replace(ANSI, ""));
      rest = rest.slice(nl + 1);
    }
  }
  if (rest) onLine(rest.replace(ANSI, ""));
}
