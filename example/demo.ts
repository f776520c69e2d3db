// The main job: what a new user does first, end to end and without Galaxy.
//  1. build the example integration (manifest.json + plugin.ts at the repository root) into
//     dist/ for trying it locally: bundle and launcher (`--no-compile`: a release needs every
//     target's binary, which `galaxy build` alone makes where `deno compile` has its runtime);
//  2. start the example's store backend on 127.0.0.1;
//  3. log in on its web page the way Galaxy's login browser would;
//  4. run the built launcher, `python3 dist/<name>/plugin.py`, under the simulator, which
//     plays Galaxy: handshake, the login, owned games, achievements and game times, checking
//     every message against the protocol.
// Usage: deno task demo [--out <dir>] (default dist/; with --out, the transcript is kept
// there too, so that nothing is written into the repository: the test does that).
import { parseArgs } from "node:util";
import { startBackend } from "./backend.ts";
import { logInInBrowser } from "./browser.ts";
import { checkManifest, folderName } from "../src/build/mod.ts";

const root = new URL("../", import.meta.url);
const cli = new URL("../src/cli/main.ts", import.meta.url).pathname;
const { out } = parseArgs({ args: Deno.args, options: { out: { type: "string" } } }).values;
const transcript = out ? `${out}/demo-transcript.jsonl` : ".galaxy/demo-transcript.jsonl";

async function galaxy(args: string[], env: Record<string, string> = {}): Promise<number> {
  console.log(`\n$ galaxy ${args.join(" ")}`);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", cli, ...args],
    cwd: root.pathname,
    env,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  return code;
}

// Without a runtime for `deno compile` a release cannot be made: build for local use only.
const compile = Deno.env.get("DENORT_BIN") ? [] : ["--no-compile"];
const built = await galaxy(["build", ...compile, ...(out ? ["--out", out] : [])]);
if (built !== 0) Deno.exit(built);

const manifest = checkManifest(JSON.parse(await Deno.readTextFile(new URL("manifest.json", root))));
if (!manifest.ok) throw new Error(manifest.problems.join("\n"));
const launcher = `${out ?? "dist"}/${folderName(manifest.manifest)}/plugin.py`;

const backend = startBackend();
const state = await Deno.makeTempDir({ prefix: "galaxy-demo-" });
try {
  console.log(`\nstore backend on ${backend.url}`);
  // The integration sends Galaxy a NextStep whose start page is the backend's login page;
  // the simulator needs where that login ends, as Galaxy's browser would report it.
  const endUri = await logInInBrowser(new URL("login", backend.url).href, ".*/done\\?code=.*");
  const login = `${state}/login.json`;
  await Deno.writeTextFile(login, JSON.stringify({ end_uri: endUri, cookies: [] }));
  const code = await galaxy(
    [
      "sim",
      "--import",
      "owned,achievements,game-times",
      "--login",
      login,
      "--state",
      state,
      "--ping-interval",
      "1",
      // Kept after the demo (the state folder is not): `galaxy sim --replay` can replay it.
      "--transcript",
      transcript,
      launcher,
    ],
    { EXAMPLE_BACKEND_URL: backend.url },
  );
  console.log(`\nsimulated session ended with exit code ${code}`);
  if (code !== 0) Deno.exitCode = code;
} finally {
  await backend.close();
  await Deno.remove(state, { recursive: true });
}
