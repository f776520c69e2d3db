/**
 * Scripted sessions: the steps a `--script` file, the `--import` flag or a transcript
 * (`--replay`) describe, checked once, then run one after another.
 *
 * @module
 */
import * as v from "npm:valibot@^1.2.0";
import { SimError } from "./errors.ts";
import { ACTIONS, BATCHED_IMPORTS, ENDINGS, IMPORT_NAMES, LIST_IMPORTS } from "./catalog.ts";
import type { LoginPrompt, SimSession } from "./session.ts";
import { readTranscript } from "./transcript.ts";

const importName = v.picklist(IMPORT_NAMES as [string, ...string[]]);
const batchedName = v.picklist([...BATCHED_IMPORTS.keys()] as [string, ...string[]]);
const ending = v.picklist(Object.keys(ENDINGS) as [keyof typeof ENDINGS]);

/**
 * What real sessions contain (protocol.md §10), by the name `--scenario` and the
 * `{"scenario": …}` step take: each is a few steps.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SCENARIOS } from "./script.ts";
 * assert.deepEqual(SCENARIOS.reauth.steps, [{ authenticate: true }]);
 * ```
 */
export const SCENARIOS: Readonly<
  Record<string, { readonly what: string; readonly steps: readonly Step[] }>
> = {
  sync: {
    what:
      "Galaxy's start-up sync: owned and local games together, then game times and OS compatibility together",
    steps: [{ sync: true }],
  },
  burst: {
    what: "one one-game start_game_times_import per owned game, in one write (Galaxy 2.1.10+)",
    steps: [{ burst: "game-times" }],
  },
  reauth: {
    what:
      "init_authentication again mid-session, with the credentials kept (the user clicked Retry)",
    steps: [{ authenticate: true }],
  },
  "owned-again": {
    what: "owned games asked for again on the same connection",
    steps: [{ import: "owned" }],
  },
};

/** One step of a script, as written in a `--script` file. */
export const StepSchema = v.union([
  v.strictObject({ authenticate: v.literal(true) }),
  v.strictObject({ import: importName, ids: v.optional(v.array(v.string())) }),
  v.strictObject({ imports: v.array(importName) }),
  v.strictObject({ sync: v.literal(true) }),
  v.strictObject({ burst: batchedName, ids: v.optional(v.array(v.string())) }),
  v.strictObject({ scenario: v.string() }),
  v.strictObject({ end: ending }),
  v.strictObject({
    action: v.picklist(Object.keys(ACTIONS) as [string, ...string[]]),
    gameId: v.optional(v.string()),
  }),
  v.strictObject({
    call: v.string(),
    params: v.optional(v.record(v.string(), v.unknown())),
    expect: v.optional(v.unknown()),
    expectError: v.optional(v.number()),
  }),
  v.strictObject({
    notify: v.string(),
    params: v.optional(v.record(v.string(), v.unknown())),
  }),
  v.strictObject({
    batch: v.string(),
    ids: v.array(v.string()),
    expect: v.optional(v.array(v.unknown())),
  }),
  v.strictObject({ sleep: v.pipe(v.number(), v.minValue(0)) }),
]);

/** One step of a script. */
export type Step = v.InferOutput<typeof StepSchema>;

const ScriptSchema = v.union([
  v.array(StepSchema),
  v.strictObject({ steps: v.array(StepSchema) }),
]);

/**
 * Reads and checks a script file: a JSON array of steps, or `{"steps": [...]}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseScript } from "./script.ts";
 * const steps = parseScript('[{"authenticate": true}, {"import": "owned"}]', "steps.json");
 * assert(steps.length === 2);
 * ```
 */
export function parseScript(text: string, name: string): Step[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SimError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
  const result = v.safeParse(ScriptSchema, json);
  if (!result.success) {
    // A union's issues list every alternative; the first step that fits none is enough.
    const steps = Array.isArray(json) ? json : (json as { steps?: unknown[] })?.steps;
    const bad = Array.isArray(steps)
      ? steps.findIndex((s) => !v.safeParse(StepSchema, s).success)
      : -1;
    throw new SimError(
      bad >= 0
        ? `${name}: step ${bad + 1} (${
          JSON.stringify(steps![bad])
        }) is not a step; steps are {"authenticate": true}, {"import": "<${
          IMPORT_NAMES.join("|")
        }>", "ids"?: [...]}, {"action": "<${
          Object.keys(ACTIONS).join("|")
        }>", "gameId"?: "…"}, {"call": "<method>", "params"?, "expect"?, "expectError"?}, {"notify": "<method>", "params"?}, {"sleep": <ms>}, {"imports": [...]}, {"sync": true}, {"burst": "<${
          [...BATCHED_IMPORTS.keys()].join("|")
        }>", "ids"?: [...]}, {"scenario": "<${Object.keys(SCENARIOS).join("|")}>"}, {"end": "<${
          Object.keys(ENDINGS).join("|")
        }>"}`
        : `${name}: a script is an array of steps or {"steps": [...]}`,
    );
  }
  const steps = Array.isArray(result.output) ? result.output : result.output.steps;
  for (const [i, step] of steps.entries()) {
    if ("scenario" in step && !SCENARIOS[step.scenario]) {
      throw new SimError(
        `${name}: step ${i + 1}: no scenario "${step.scenario}"; choose from ${
          Object.keys(SCENARIOS).join(", ")
        }`,
      );
    }
  }
  return steps;
}

/** Imports Galaxy asks for together, in one write (§10). */
const TOGETHER: readonly (readonly [string, string])[] = [
  ["owned", "local"],
  ["game-times", "os-compatibility"],
];

/**
 * The steps of `--import a,b`: log in, then each import in the order given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { importSteps } from "./script.ts";
 * assert(importSteps("owned,achievements").length === 3);
 * ```
 */
export function importSteps(list: string): Step[] {
  const steps: Step[] = [{ authenticate: true }];
  const names = list.split(",").map((s) => s.trim()).filter(Boolean);
  const grouped = new Set<number>();
  for (const [i, name] of names.entries()) {
    if (!IMPORT_NAMES.includes(name)) {
      throw new SimError(
        `--import: unknown import "${name}"; choose from ${IMPORT_NAMES.join(", ")}`,
      );
    }
    if (grouped.has(i)) continue;
    // Galaxy's pairs go out together, as it sends them; the rest one after another.
    const pair = TOGETHER.find((p) => p.includes(name));
    const partner = pair ? names.indexOf(pair[0] === name ? pair[1] : pair[0], i + 1) : -1;
    if (partner > i) {
      grouped.add(partner);
      steps.push({ imports: [name, names[partner]] });
    } else steps.push({ import: name });
  }
  return steps;
}

/**
 * The steps of `--scenario a,b`: log in, then each scenario's steps in the order given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scenarioSteps } from "./script.ts";
 * assert.deepEqual(scenarioSteps("owned-again"), [{ authenticate: true }, { import: "owned" }]);
 * ```
 */
export function scenarioSteps(list: string): Step[] {
  const steps: Step[] = [{ authenticate: true }];
  for (const name of list.split(",").map((s) => s.trim()).filter(Boolean)) {
    const scenario = SCENARIOS[name];
    if (!scenario) {
      throw new SimError(
        `--scenario: unknown scenario "${name}"; choose from ${Object.keys(SCENARIOS).join(", ")}`,
      );
    }
    steps.push(...scenario.steps);
  }
  return steps;
}

const HANDSHAKE = new Set(["get_capabilities", "initialize_cache", "ping", "shutdown"]);
const LOGIN = new Set(["init_authentication", "pass_login_credentials"]);

/**
 * The steps that replay a transcript: Galaxy's requests and notifications as recorded,
 * each request expecting the answer recorded then. The handshake is the simulator's own,
 * and the login is redone with the kept credentials (its recorded params are masked).
 */
export async function replaySteps(path: string): Promise<Step[]> {
  const entries = await readTranscript(path);
  const messages = entries.map((e) => ({ from: e.from, m: e.message }));
  const steps: Step[] = [];
  let loggedIn = false;
  for (const [index, { from, m }] of messages.entries()) {
    if (from !== "galaxy" || !m || typeof m.method !== "string") continue;
    const { method, id } = m;
    const params = (m.params ?? undefined) as Record<string, unknown> | undefined;
    if (HANDSHAKE.has(method)) continue;
    if (LOGIN.has(method)) {
      if (!loggedIn) steps.push({ authenticate: true });
      loggedIn = true;
      continue;
    }
    if (id === undefined) {
      steps.push({ notify: method, params });
      continue;
    }
    const later = messages.slice(index + 1).filter((x) => x.from === "integration" && x.m);
    const answer = later.find((x) => x.m!.id === id && ("result" in x.m! || "error" in x.m!))?.m;
    const spec = [...BATCHED_IMPORTS.values()].find((s) => s.method === method);
    if (spec && answer && !answer.error) {
      const names = [spec.success, spec.failure, spec.finished, spec.partial].filter(Boolean);
      const own = later.map((x) => x.m!).filter((n) =>
        typeof n.method === "string" && names.includes(n.method)
      );
      const end = own.findIndex((n) => n.method === spec.finished);
      steps.push({
        batch: method,
        ids: (params?.[spec.idsParam] ?? []) as string[],
        expect: end >= 0 ? own.slice(0, end + 1) : own,
      });
      continue;
    }
    const step: Step = { call: method, params };
    if (answer?.error) step.expectError = (answer.error as { code: number }).code;
    else if (answer) step.expect = answer.result;
    steps.push(step);
  }
  return steps;
}

async function runImport(session: SimSession, name: string, ids?: readonly string[]) {
  if (LIST_IMPORTS[name]) await session.listImport(name);
  else await session.batchedImport(BATCHED_IMPORTS.get(name)!, ids);
}

/** Whether `actual` matches `expected`, where "****" (a masked secret) matches anything. */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected === "****") return true;
  if (expected === null || typeof expected !== "object") return Object.is(expected, actual);
  if (actual === null || typeof actual !== "object") return false;
  if (Array.isArray(expected) !== Array.isArray(actual)) return false;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
  for (const key of keys) if (!matches(e[key], a[key])) return false;
  return true;
}

function sortedLines(list: readonly unknown[]): string[] {
  return list.map((x) => JSON.stringify(x)).sort();
}

/**
 * Runs `steps` in order; a failed login stops the script (everything after it needs one).
 * Returns the number of steps whose answer differed from what they expected.
 */
export async function runSteps(
  session: SimSession,
  steps: readonly Step[],
  prompt: LoginPrompt,
  report: (line: string) => void,
): Promise<number> {
  let differences = 0;
  for (const [i, step] of steps.entries()) {
    if (!session.connected) {
      report(`✗ step ${i + 1} and later not run: the integration is gone`);
      return differences + 1;
    }
    if ("scenario" in step) {
      differences += await runSteps(session, SCENARIOS[step.scenario].steps, prompt, report);
    } else if ("end" in step) {
      await session.end(step.end);
      if (i + 1 < steps.length) report(`  steps after step ${i + 1} not run: the session ended`);
      return differences;
    } else if ("authenticate" in step) {
      if (!await session.authenticate(prompt)) return differences;
    } else if ("import" in step) {
      await runImport(session, step.import, step.ids);
    } else if ("imports" in step) {
      // Default ids first: both imports of a pair must not ask for owned games each.
      const ids: (string[] | undefined)[] = [];
      for (const name of step.imports) {
        const spec = BATCHED_IMPORTS.get(name);
        ids.push(spec ? await session.defaultIds(spec) : undefined);
      }
      await Promise.all(step.imports.map((name, j) => runImport(session, name, ids[j])));
    } else if ("sync" in step) {
      await session.sync();
    } else if ("burst" in step) {
      await session.burst(BATCHED_IMPORTS.get(step.burst)!, step.ids);
    } else if ("action" in step) {
      await session.action(step.action, step.gameId);
    } else if ("notify" in step) {
      await session.notify(step.notify, step.params);
    } else if ("sleep" in step) {
      await new Promise((resolve) => setTimeout(resolve, step.sleep));
    } else if ("batch" in step) {
      const spec = [...BATCHED_IMPORTS.values()].find((s) => s.method === step.batch);
      if (!spec) throw new SimError(`step ${i + 1}: ${step.batch} is not a batched import`);
      const run = await session.batchedImport(spec, step.ids);
      if (step.expect && run) {
        const expected = sortedLines(step.expect);
        const actual = sortedLines(run.notifications.map((n) => ({
          jsonrpc: "2.0",
          method: n.method,
          params: n.params,
        })));
        if (expected.join("\n") !== actual.join("\n")) {
          differences++;
          report(`✗ step ${i + 1} ${step.batch}: the notifications differ from the recorded ones`);
        }
      }
    } else {
      const answer = await session.call(step.call, step.params, step.expectError !== undefined);
      if (!answer) continue;
      if (step.expectError !== undefined && answer.error?.code !== step.expectError) {
        differences++;
        report(
          `✗ step ${i + 1} ${step.call}: expected error ${step.expectError}, got ${
            answer.error ? `error ${answer.error.code}` : "a result"
          }`,
        );
      } else if (
        "expect" in step && step.expectError === undefined &&
        !matches(step.expect, answer.result)
      ) {
        differences++;
        report(`✗ step ${i + 1} ${step.call}: the answer differs from the expected one`);
      }
    }
  }
  return differences;
}
