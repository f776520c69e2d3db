/**
 * The launcher: the `script` of the manifest, the only Python that runs inside Galaxy.
 *
 * Galaxy imports it with its own embedded Python (3.7 in Galaxy 2.0, 3.13 since 2.1.3) and
 * calls `main()`. It uses the standard library only and nothing newer than Python 3.7, so it
 * works in both. `main()` starts the binary built for this machine with every argument Galaxy
 * gave, turns each line the binary logs into a Python `logging` record at the same level
 * (Galaxy writes those to `plugin-<platform>-<guid>.log`; it never reads a child's stderr),
 * and returns the binary's exit code.
 *
 * Finding the program: `<stem>-<target>[.exe]` next to the launcher (on an Apple silicon Mac
 * the arm64 binary, else the x86_64 one under Rosetta); when none is there, the bundle
 * `<stem>.js` run by Deno, found as the `GALAXY_DENO` environment variable or `deno` on PATH
 * (for development and tests; what ships is the binary). When nothing can run, one log line
 * names the file expected.
 *
 * The binary never outlives the launcher: it gets a stdin pipe carrying the lifeline marker
 * (see the runtime's `lifeline.ts`), which the OS closes when the launcher dies, however it
 * dies; and when Galaxy's connection ends the binary ends, which ends the launcher. When the
 * launcher is interrupted (Ctrl+C, SIGINT) it ends quietly, without a traceback: it closes
 * that pipe, so the integration runs its bounded shutdown, waits for it as long as that
 * shutdown may take, and only then kills it.
 *
 * @module
 */
import { LIFELINE_MARKER, SHUTDOWN_TIMEOUT_MS } from "../plugin/mod.ts";

/** What a launcher is made for. */
export interface LauncherOptions {
  /** The file stem shared by the bundle (`<stem>.js`) and the binaries. */
  stem: string;
  /** The permission flags of `deno run` when the bundle stands in for the binary. */
  denoFlags: readonly string[];
}

/**
 * The launcher's Python source for an integration.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { launcherSource } from "./launcher.ts";
 * const py = launcherSource({ stem: "plugin", denoFlags: ["--allow-net=127.0.0.1"] });
 * assert(py.includes('STEM = "plugin"') && py.includes("def main("));
 * ```
 */
export function launcherSource(options: LauncherOptions): string {
  // JSON strings and lists of strings are valid Python literals.
  return TEMPLATE
    .replace("@STEM@", JSON.stringify(options.stem))
    .replace("@DENO_FLAGS@", JSON.stringify(options.denoFlags))
    .replace("@LIFELINE@", JSON.stringify(LIFELINE_MARKER))
    // The integration's own bound, and a little for its exit.
    .replace("@GRACE@", String(SHUTDOWN_TIMEOUT_MS / 1000 + 5));
}

const TEMPLATE = String
  .raw`"""Launcher of a galaxy-ts integration, written by its build. Do not edit.

GOG Galaxy imports this module and calls main(). It starts the compiled integration for this
machine with Galaxy's arguments, forwards what the integration logs into Python logging, and
returns its exit code. Standard library only; Python 3.7 to 3.13; Windows, macOS, Linux.
"""

import logging
import os
import platform
import re
import shutil
import stat
import subprocess
import sys

STEM = @STEM@
DENO_FLAGS = @DENO_FLAGS@
LIFELINE = @LIFELINE@
GRACE = @GRACE@
HERE = os.path.dirname(os.path.abspath(__file__))
LEVELS = {
    "DEBUG": logging.DEBUG,
    "INFO": logging.INFO,
    "WARNING": logging.WARNING,
    "ERROR": logging.ERROR,
    "CRITICAL": logging.CRITICAL,
}
RECORD = re.compile(r"^\S+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+?): (.*)$")
NOT_FOUND = 127

logger = logging.getLogger("galaxy_ts.launcher")


def targets():
    """The compile targets that can run here, best first."""
    machine = platform.machine().lower()
    arm = machine in ("arm64", "aarch64")
    if sys.platform == "win32":
        return ["x86_64-pc-windows-msvc"]
    if sys.platform == "darwin":
        if arm:
            return ["aarch64-apple-darwin", "x86_64-apple-darwin"]
        return ["x86_64-apple-darwin"]
    if arm:
        return ["aarch64-unknown-linux-gnu"]
    return ["x86_64-unknown-linux-gnu"]


def binary_path(target):
    name = STEM + "-" + target + (".exe" if target.endswith("windows-msvc") else "")
    return os.path.join(HERE, name)


def executable(path):
    """Whether path can be run, after restoring an execute bit an unzip may have lost."""
    if not os.path.isfile(path):
        return False
    if os.name != "nt" and not os.access(path, os.X_OK):
        try:
            os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError:
            return False
    return os.access(path, os.X_OK)


def command():
    """The command that runs the integration, or None after logging why there is none."""
    candidates = [binary_path(t) for t in targets()]
    for path in candidates:
        if executable(path):
            return [path]
    bundle = os.path.join(HERE, STEM + ".js")
    deno = os.environ.get("GALAXY_DENO") or shutil.which("deno")
    if os.path.isfile(bundle) and deno and executable(deno):
        logger.info("No binary for this machine (%s); running %s with %s", candidates[0], bundle, deno)
        return [deno, "run", "--no-config", "--no-remote", "--no-npm", "--no-prompt"] + list(DENO_FLAGS) + [bundle]
    if os.path.isfile(candidates[0]):
        logger.error("The integration's binary is not executable: %s", candidates[0])
    else:
        logger.error("The integration's binary is missing: expected %s", candidates[0])
    return None


def forward(raw):
    """Logs one line the integration wrote, at the level it carries."""
    line = raw.decode("utf-8", "replace").rstrip("\r\n")
    if not line:
        return
    match = RECORD.match(line)
    if match:
        logging.getLogger(match.group(2)).log(LEVELS[match.group(1)], "%s", match.group(3))
    elif line.startswith("error:"):
        logger.error("%s", line)
    else:
        logger.info("%s", line)


def end(process):
    """Ends the integration as the launcher's death would: its lifeline closes, it shuts down."""
    try:
        process.stdin.close()
    except OSError:
        pass
    try:
        process.wait(timeout=GRACE)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        pass
    if process.poll() is None:
        process.kill()
        process.wait()
    try:
        for raw in iter(process.stdout.readline, b""):
            forward(raw)
    except (OSError, ValueError, KeyboardInterrupt):
        pass


def main(argv=None):
    """Runs the integration with Galaxy's arguments until it ends; returns its exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    cmd = command()
    if cmd is None:
        return NOT_FOUND
    options = {}
    if os.name == "nt":
        # A console program started from Galaxy would flash a console window.
        options["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0x08000000)
    try:
        process = subprocess.Popen(
            cmd + args,
            cwd=HERE,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **options
        )
    except OSError as error:
        logger.error("Could not start %s: %s", cmd[0], error)
        return NOT_FOUND
    try:
        try:
            # Never closed: the OS closes it when this process dies, which the integration sees.
            process.stdin.write(LIFELINE.encode("ascii"))
            process.stdin.flush()
        except OSError:
            pass
        for raw in iter(process.stdout.readline, b""):
            forward(raw)
        return process.wait()
    except KeyboardInterrupt:
        logger.info("Interrupted: ending the integration")
        end(process)
        return process.returncode
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass


if __name__ == "__main__":
    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
`;
