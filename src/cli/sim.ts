/**
 * `galaxy sim`: run and debug an integration without Galaxy.
 *
 * @module
 */
import { SecretSet } from "../log/mod.ts";
import { parseCommandArgs } from "./args.ts";
import type { Command } from "./main.ts";
import {
  askLogin,
  type Ending,
  ENDINGS,
  fileLogin,
  GALAXY_LIMITS,
  IMPORT_NAMES,
  importSteps,
  interactive,
  limits,
  LineInput,
  type LoginPrompt,
  type Output,
  parseScript,
  readLoginFile,
  replaySteps,
  resolveCommand,
  runSteps,
  SCENARIOS,
  scenarioSteps,
  scrubbed,
  SimError,
  SimSession,
  type Step,
} from "./sim/mod.ts";

const USAGE = `usage: galaxy sim [options] [--] [integration]

Plays Galaxy's part: starts the integration with <token> <port>, performs the handshake
with the cache and credentials kept from earlier runs, and checks every message against
the protocol. The integration is a folder holding manifest.json (default: .), a script
(plugin.ts runs under deno, plugin.py under python3), or any command and its arguments.

It speaks and judges as the real client does (protocol.md §10): string ids from "0",
params always sent, Galaxy's start-up order and pipelining, a ping every 5 s; a ping
unanswered for 15 s is "not responding", an integration still running 1 s after shutdown
is killed, pushes before Galaxy's first request after initialize_cache are lost.

Without --import, --scenario, --script or --replay it is interactive: it walks the login,
then offers each declared import and action.

options:
  --import <names>      log in, run these imports, exit; names: ${IMPORT_NAMES.join(", ")}
                        (owned+local and game-times+os-compatibility go out together)
  --scenario <names>    log in, play these parts of real sessions, exit:
${
  Object.entries(SCENARIOS).map(([name, s]) => `                          ${name}: ${s.what}`).join(
    "\n",
  )
}
  --end <how>           how the session ends: ${Object.keys(ENDINGS).join(", ")} (default shutdown)
  --script <file>       run the steps of a JSON file, exit
  --replay <file>       replay a transcript, exit non-zero where the answers differ
  --login <file>        finish login steps with {"end_uri": …, "cookies": […]} from a file
  --json                print a JSON report on stdout (the readable one goes to stderr)
  --state <dir>         where the cache and credentials are kept (default .galaxy)
  --fresh               start with no cache and no credentials, and keep nothing
  --logout              forget the kept credentials first
  --transcript <file>   record the session there (default <state>/transcript.jsonl)
  --no-transcript       record nothing
  --timeout <s>         longest wait for an answer or an import's end (default 30)
${
  Object.values(GALAXY_LIMITS).map((l) =>
    `${`  --${l.option} <s>`.padEnd(23)} ${l.what} (default ${l.seconds})`
  ).join("\n")
}
  --progress <s>        how often progress shows on long requests (default 1)
  --verbose             show the integration's log as it comes
  --allow-all           run a .ts/.js integration with every permission (deno run -A)
                        instead of the sandbox its built binary gets

Exit code: 0 when all went well; 1 on a protocol violation, a timeout, an error answer
or a crash; 2 on wrong usage.`;

const OPTIONS = {
  import: { type: "string" },
  scenario: { type: "string" },
  end: { type: "string" },
  script: { type: "string" },
  replay: { type: "string" },
  login: { type: "string" },
  json: { type: "boolean" },
  state: { type: "string" },
  fresh: { type: "boolean" },
  logout: { type: "boolean" },
  transcript: { type: "string" },
  "no-transcript": { type: "boolean" },
  timeout: { type: "string" },
  ...Object.fromEntries(
    Object.values(GALAXY_LIMITS).map((l) => [l.option, { type: "string" } as const]),
  ) as Record<(typeof GALAXY_LIMITS)[keyof typeof GALAXY_LIMITS]["option"], { type: "string" }>,
  progress: { type: "string" },
  verbose: { type: "boolean" },
  "allow-all": { type: "boolean" },
} as const;

/** Splits the simulator's options from the integration command that follows them. */
function split(args: string[]): [string[], string[]] {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") return [args.slice(0, i), args.slice(i + 1)];
    if (!arg.startsWith("-")) return [args.slice(0, i), args.slice(i)];
    const name = arg.replace(/^--?/, "");
    const spec = (OPTIONS as Record<string, { type: string }>)[name];
    if (spec?.type === "string") i++;
  }
  return [args, []];
}

function secondsOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback * 1000;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new SimError(`--${name} takes a number of seconds, not "${text}"`);
  }
  return value * 1000;
}

function output(json: boolean): Output {
  const info = json ? console.error : console.log;
  return {
    info: (line) => info(line),
    problem: (line) => console.error(line),
    progress: (line) => console.error(line),
  };
}

async function run(args: string[]): Promise<number> {
  const [own, rest] = split(args);
  const parsed = parseCommandArgs("sim", own, OPTIONS, USAGE);
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  const modes = [values.import, values.scenario, values.script, values.replay].filter((x) =>
    x !== undefined
  );
  if (modes.length > 1) {
    console.error("galaxy sim: give only one of --import, --scenario, --script, --replay");
    return 2;
  }
  if (values.end !== undefined && !(values.end in ENDINGS)) {
    console.error(
      `galaxy sim: --end takes one of ${Object.keys(ENDINGS).join(", ")}, not "${values.end}"`,
    );
    return 2;
  }
  // Everything printed is scrubbed like the transcript: authors' CI logs are public.
  const secrets = new SecretSet();
  const out = scrubbed(output(values.json ?? false), secrets);
  try {
    let steps: Step[] | undefined;
    if (values.import !== undefined) steps = importSteps(values.import);
    if (values.scenario !== undefined) steps = scenarioSteps(values.scenario);
    if (values.script !== undefined) {
      let text: string;
      try {
        text = await Deno.readTextFile(values.script);
      } catch (error) {
        throw new SimError(`cannot read --script ${values.script}: ${(error as Error).message}`);
      }
      steps = parseScript(text, values.script);
    }
    if (values.replay !== undefined) steps = await replaySteps(values.replay);
    const loginFile = values.login ? await readLoginFile(values.login) : undefined;
    const stateRoot = values.state ?? ".galaxy";
    if (values["allow-all"]) {
      out.problem("! --allow-all: every permission granted, unlike in Galaxy (sandbox off)");
    }
    const session = await SimSession.start({
      command: await resolveCommand(rest, { allowAll: values["allow-all"] }),
      stateRoot,
      fresh: values.fresh ?? false,
      logout: values.logout ?? false,
      transcript: values["no-transcript"]
        ? null
        : values.transcript ?? `${stateRoot}/transcript.jsonl`,
      timeoutMs: secondsOption("timeout", values.timeout, 30),
      limits: limits((option) => {
        const text = (values as Record<string, string | undefined>)[option];
        return text === undefined ? undefined : secondsOption(option, text, 0) / 1000;
      }),
      secrets,
      progressIntervalMs: secondsOption("progress", values.progress, 1),
      verbose: values.verbose ?? false,
      out,
    });
    let input: LineInput | undefined;
    let differences = 0;
    try {
      if (steps) {
        const prompt: LoginPrompt = loginFile ? fileLogin(loginFile) : () => Promise.resolve(null);
        differences = await runSteps(session, steps, prompt, out.problem);
      } else {
        input = new LineInput(Deno.stdin.readable);
        const prompt = loginFile ? fileLogin(loginFile) : askLogin(input, out);
        await interactive(session, input, out, prompt);
      }
    } finally {
      input?.close();
    }
    await session.end((values.end ?? "shutdown") as Ending);
    const code = await session.finish();
    if (values.json) {
      console.log(secrets.scrub(JSON.stringify(
        {
          capabilities: { ...session.capabilities, token: "****" },
          steps: session.steps,
          violations: session.violations,
          failures: session.failures,
          differences,
          exitCode: code || (differences > 0 ? 1 : 0),
        },
        null,
        2,
      )));
    }
    return code || (differences > 0 ? 1 : 0);
  } catch (error) {
    if (error instanceof SimError) {
      console.error(`galaxy sim: ${secrets.scrub(error.message)}`);
      return 1;
    }
    throw error;
  }
}

/** The `sim` command. */
export const command: Command = {
  summary: "run an integration against a simulated Galaxy (interactive or scripted)",
  run,
};
