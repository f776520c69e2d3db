/**
 * The interactive simulator: walk the login by hand, then pick imports and actions from
 * what the integration declares.
 *
 * @module
 */
import type { LineInput } from "./line_input.ts";
import { ACTIONS, BATCHED_IMPORTS, LIST_IMPORTS } from "./catalog.ts";
import type { Output } from "./output.ts";
import type { LoginAnswer, LoginPrompt, SimSession } from "./session.ts";
import { SimError } from "./errors.ts";

/**
 * Reads a login answer from a file: `{"end_uri": "…", "cookies": [...]}`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readLoginFile } from "./interactive.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"end_uri": "https://x.test/done"}');
 * assert((await readLoginFile(path)).end_uri === "https://x.test/done");
 * ```
 */
export async function readLoginFile(path: string): Promise<LoginAnswer> {
  let value: unknown;
  try {
    value = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new SimError(`cannot read the login file ${path}: ${(error as Error).message}`);
  }
  const login = value as LoginAnswer;
  if (
    !login || typeof login.end_uri !== "string" ||
    (login.cookies !== undefined && !Array.isArray(login.cookies))
  ) {
    throw new SimError(
      `${path} must hold {"end_uri": "<the address the login ended on>", "cookies": [{"name": …, "value": …}]}`,
    );
  }
  return login;
}

/** A login prompt that answers every step with the same file's content. */
export function fileLogin(login: LoginAnswer): LoginPrompt {
  return () => Promise.resolve(login);
}

/** A login prompt that asks the user: the start URI to open, then the end URI and cookies. */
export function askLogin(input: LineInput, out: Output): LoginPrompt {
  return async (step) => {
    out.info(`  Open ${step.startUri} in a browser and log in.`);
    out.info(
      `  Then paste the address it ended on (Galaxy closes its window at one matching ${step.endUriRegex}),`,
    );
    out.info('  or the path of a JSON file holding {"end_uri": …, "cookies": […]}:');
    const line = (await input.next())?.trim();
    if (!line) return null;
    if (!/^[a-z][a-z0-9+.-]*:/i.test(line)) return await readLoginFile(line);
    out.info("  Cookies as a JSON array (empty line for none):");
    const cookies = (await input.next())?.trim();
    if (!cookies) return { end_uri: line };
    try {
      return { end_uri: line, cookies: JSON.parse(cookies) };
    } catch {
      out.problem("  not JSON; going on without cookies");
      return { end_uri: line };
    }
  };
}

interface Choice {
  readonly label: string;
  readonly run: () => Promise<void>;
}

/**
 * Logs in (kept credentials first, then `prompt`), then offers every declared import and
 * action until the user quits or the input ends.
 */
export async function interactive(
  session: SimSession,
  input: LineInput,
  out: Output,
  prompt: LoginPrompt,
): Promise<void> {
  if (!await session.authenticate(prompt)) return;
  const { features } = session.capabilities;
  const ask = async (question: string) => {
    out.info(question);
    return (await input.next())?.trim() ?? null;
  };
  const ids = (text: string | null) =>
    text ? text.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  const choices: Choice[] = [];
  for (const [name, spec] of Object.entries(LIST_IMPORTS)) {
    if (!features.includes(spec.feature)) continue;
    choices.push({
      label: `import ${spec.noun}`,
      run: () => session.listImport(name).then(() => {}),
    });
  }
  for (const spec of BATCHED_IMPORTS.values()) {
    if (!features.includes(spec.feature)) continue;
    choices.push({
      label: `import ${spec.name}`,
      run: async () => {
        const answer = await ask(`  ${spec.idsParam} (comma-separated; empty for all known):`);
        await session.batchedImport(spec, ids(answer));
      },
    });
  }
  for (const [method, spec] of Object.entries(ACTIONS)) {
    if (!features.includes(spec.feature)) continue;
    choices.push({
      label: method.replaceAll("_", " "),
      run: async () => {
        const gameId = spec.gameId ? await ask("  game id:") : undefined;
        if (spec.gameId && !gameId) return;
        await session.action(method, gameId ?? undefined);
      },
    });
  }
  choices.push({
    label: "log out (forget the kept credentials) and quit",
    run: () => session.state.forgetCredentials(),
  });
  while (session.connected) {
    out.info("");
    for (const [i, choice] of choices.entries()) {
      out.info(`  ${String(i + 1).padStart(2)}  ${choice.label}`);
    }
    out.info("   q  quit");
    const answer = await ask("choose:");
    if (answer === null || answer === "q") return;
    const choice = choices[Number(answer) - 1];
    if (!choice) {
      out.problem(`  "${answer}" is not on the list`);
      continue;
    }
    await choice.run();
    if (choice === choices.at(-1)) return;
  }
}
