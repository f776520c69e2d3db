// The built fixture behaves exactly like its source: one conversation covering every method
// and failure of the fixture's specification, FIXTURE_GAMES included, held with
// `deno run -A tests/fixtures/fixture_plugin.ts` and with `python3 <dist>/fixture_plugin.py`
// (the launcher running the bundle inside the build's sandbox, as no compile runtime is
// here), on each Galaxy Python that is installed. And the launcher ends quietly on SIGINT.
import { assert, assertEquals } from "../assert.ts";
import { FakeGalaxy, type Message } from "../fake_galaxy.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const FIXTURE = `${ROOT}tests/fixtures/fixture_plugin.ts`;
const GAMES = 25;

function pythonAt(path: string): string | undefined {
  try {
    return Deno.statSync(path).isFile ? path : undefined;
  } catch {
    return undefined;
  }
}

const PYENV = (() => {
  try {
    const { stdout, success } = new Deno.Command("pyenv", { args: ["root"] }).outputSync();
    return success ? new TextDecoder().decode(stdout).trim() : undefined;
  } catch {
    return undefined;
  }
})();
// Galaxy 2.0 embeds Python 3.7, Galaxy 2.1.3 and later 3.13.
const PYTHONS = ["3.7.16", "3.13.0"].map((version) => ({
  version,
  path: PYENV ? pythonAt(`${PYENV}/versions/${version}/bin/python3`) : undefined,
}));

const OUT = await Deno.makeTempDir({ prefix: "galaxy-built-fixture-" });
// Removed when the file's tests are done, whichever run and in whatever order.
globalThis.addEventListener("unload", () => Deno.removeSync(OUT, { recursive: true }));
const build = await new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    `${ROOT}src/cli/main.ts`,
    "build",
    "tests/fixtures",
    "--no-compile",
    "--out",
    OUT,
  ],
  cwd: ROOT,
  // The check task has type-checked the fixture; this file is about how the build behaves.
  env: { NO_COLOR: "1", GALAXY_BUILD_SKIP_TYPE_CHECK: "1" },
  stdin: "null",
  stdout: "null",
  stderr: "piped",
}).output();
const LAUNCHER = `${OUT}/galaxy-ts-fixture/fixture_plugin.py`;

/** One step's outcome: the answer without its id, and what was notified meanwhile, sorted. */
type Outcome = { answer?: Message; notifications: string[] };

const strip = (m: Message) => {
  const { id: _id, ...rest } = m;
  return rest;
};

/**
 * Every method and failure of the fixture's specification, in one session. Notifications
 * of an import are collected up to its `finished` one and sorted: its elements run
 * concurrently.
 */
async function conversation(galaxy: FakeGalaxy): Promise<Record<string, Outcome>> {
  const outcomes: Record<string, Outcome> = {};
  const step = async (
    name: string,
    method: string,
    params?: unknown,
    until?: string,
  ) => {
    const before = galaxy.received.length;
    const answer = await galaxy.request(method, params);
    if (until) {
      await galaxy.waitFor((m) => m.method === until && galaxy.received.indexOf(m) >= before);
    }
    const notifications = galaxy.received.slice(before)
      .filter((m) => !("id" in m))
      .map((m) => JSON.stringify(m))
      .sort();
    outcomes[name] = { answer: strip(answer), notifications };
  };
  const capabilities = await galaxy.request("get_capabilities");
  outcomes.capabilities = {
    answer: strip({ ...capabilities, result: { ...capabilities.result, token: "****" } }),
    notifications: [],
  };
  await step("initialize_cache", "initialize_cache", { data: { greeting: "hi" } });
  await step("auth: none", "init_authentication", {});
  await step("auth: null", "init_authentication", { stored_credentials: null });
  await step("auth: empty", "init_authentication", { stored_credentials: {} });
  await step("auth: bad", "init_authentication", { stored_credentials: { token: "bad" } });
  // Refresh: the fixture asks Galaxy; answer it once well, once badly, once with an error.
  for (
    const [name, reply] of [
      ["ok", { result: { token: "ok" } }],
      ["other", { result: { token: "nope" } }],
      ["error", { error: { code: 4, message: "Backend error" } }],
    ] as const
  ) {
    const before = galaxy.received.length;
    const pending = galaxy.request("init_authentication", {
      stored_credentials: { token: "refresh" },
    });
    const ask = await galaxy.waitFor((m) =>
      m.method === "refresh_credentials" && galaxy.received.indexOf(m) >= before
    );
    outcomes[`refresh asked (${name})`] = { answer: strip(ask), notifications: [] };
    await galaxy.send({ jsonrpc: "2.0", id: ask.id, ...reply });
    outcomes[`refresh: ${name}`] = { answer: strip(await pending), notifications: [] };
  }
  await step("pass_login_credentials", "pass_login_credentials", {
    step: "web_session",
    credentials: { end_uri: "http://127.0.0.1/done" },
    cookies: [],
  });
  await step("auth: ok", "init_authentication", { stored_credentials: { token: "ok" } });
  await galaxy.notify("handshake_complete");
  outcomes.handshake_complete = {
    answer: strip(await galaxy.waitFor((m) => m.method === "owned_game_added")),
    notifications: [],
  };
  await step("owned", "import_owned_games");
  await step("local", "import_local_games");
  await step("friends", "import_friends");
  await step("subscriptions", "import_subscriptions");
  const ids = ["g0", "g7", "g12", "backend_error", "crash", "slow", "nope"];
  await step(
    "achievements",
    "start_achievements_import",
    { game_ids: ids },
    "achievements_import_finished",
  );
  await step(
    "game times",
    "start_game_times_import",
    { game_ids: ids },
    "game_times_import_finished",
  );
  await step(
    "library settings",
    "start_game_library_settings_import",
    { game_ids: ids },
    "game_library_settings_import_finished",
  );
  await step(
    "os compatibility",
    "start_os_compatibility_import",
    { game_ids: ids },
    "os_compatibility_import_finished",
  );
  await step(
    "local size",
    "start_local_size_import",
    { game_ids: ids },
    "local_size_import_finished",
  );
  await step(
    "user presence",
    "start_user_presence_import",
    { user_id_list: ["f1", "f2", "backend_error", "crash", "slow", "nope"] },
    "user_presence_import_finished",
  );
  await step(
    "subscription games",
    "start_subscription_games_import",
    { subscription_names: ["Pass", "backend_error", "crash", "nope"] },
    "subscription_games_import_finished",
  );
  await step("prepare fails", "start_game_times_import", { game_ids: ["g1", "prepare_fail"] });
  for (const action of ["launch_game", "install_game", "uninstall_game"]) {
    await galaxy.notify(action, { game_id: "g3" });
  }
  await galaxy.notify("launch_platform_client");
  await galaxy.notify("shutdown_platform_client");
  await step("after actions", "ping");
  return outcomes;
}

async function converse(command: string[], env: Record<string, string>) {
  const galaxy = await FakeGalaxy.start({ command, env: { FIXTURE_GAMES: String(GAMES), ...env } });
  try {
    const outcomes = await conversation(galaxy);
    assertEquals(await galaxy.stop(), 0, galaxy.stderr);
    return outcomes;
  } finally {
    await galaxy.dispose();
  }
}

// The source's answers, once: what every built run must give.
const SOURCE = build.success ? await converse([Deno.execPath(), "run", "-A", FIXTURE], {}) : {};

Deno.test("built fixture: the build succeeded", () => {
  assert(build.success, new TextDecoder().decode(build.stderr));
  // The source's answers are the specification's, FIXTURE_GAMES included.
  const owned = SOURCE.owned.answer?.result.owned_games;
  assertEquals(owned.length, GAMES);
  assertEquals(SOURCE.capabilities.answer?.result.features.length, 16);
  assertEquals(SOURCE["auth: bad"].answer?.error.code, 100);
});

for (const python of PYTHONS) {
  Deno.test({
    name: `built fixture: python ${python.version} launcher answers as the source does`,
    ignore: !python.path || !build.success,
    fn: async () => {
      const built = await converse([python.path!, LAUNCHER], { GALAXY_DENO: Deno.execPath() });
      for (const name of Object.keys(SOURCE)) assertEquals(built[name], SOURCE[name], name);
      assertEquals(Object.keys(built), Object.keys(SOURCE));
    },
  });
}

for (const python of PYTHONS) {
  Deno.test({
    name: `launcher: python ${python.version} ends quietly on SIGINT, and the integration too`,
    ignore: !python.path || !build.success,
    fn: async () => {
      const galaxy = await FakeGalaxy.start({
        command: [python.path!, LAUNCHER],
        env: { GALAXY_DENO: Deno.execPath() },
      });
      try {
        await galaxy.handshake();
        galaxy.process.kill("SIGINT");
        const code = await galaxy.exitCode();
        assert(!galaxy.stderr.includes("Traceback"), galaxy.stderr);
        assertEquals(code, 0, galaxy.stderr);
        // The integration ended its session: Galaxy's socket is closed by it.
        for (let i = 0; i < 200 && !galaxy.closed; i++) {
          await new Promise((r) => setTimeout(r, 50));
        }
        assert(galaxy.closed, "the integration outlived its interrupted launcher");
      } finally {
        await galaxy.dispose();
      }
    },
  });
}
