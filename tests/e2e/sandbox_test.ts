// One sandbox for dev and ship: the simulator runs an integration's source with exactly the
// permissions its build gets. An integration that fetches from a store (a real Deno.serve
// on 127.0.0.2, which the sandbox's 127.0.0.1 does not cover) fails under the simulator
// with one line naming the deno.json entry, until that entry is there; then the simulator
// passes on the source and on the built launcher alike. The same for a shipped asset.
import { assert, assertEquals, assertMatch } from "../assert.ts";
import { sandboxFlags } from "../../src/build/mod.ts";

const ROOT = new URL("../..", import.meta.url);
const CLI = new URL("src/cli/main.ts", ROOT).pathname;
const { imports } = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));

async function galaxy(args: string[], cwd: string) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    cwd,
    // These builds are about the sandbox, not the type check (build_test's gate tests are).
    env: { NO_COLOR: "1", GALAXY_BUILD_SKIP_TYPE_CHECK: "1" },
    stdin: "null",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

const MANIFEST = {
  name: "Store",
  platform: "generic",
  guid: "0b7e0a53-5a43-4bfa-9a3c-0d1c8f0e8a11",
  version: "1.0.0",
  description: "fetches from a store",
  author: "test",
  email: "test@example.com",
  url: "https://example.com/",
  script: "plugin.py",
  assets: ["data/titles.json"],
};

const plugin = (store: string) => `
import { type Authentication, type Game, LicenseType, Platform, Plugin, readAssetText, runPlugin } from "${
  new URL("mod.ts", ROOT).href
}";

export class StorePlugin extends Plugin {
  constructor() {
    super(Platform.Generic, "1.0.0");
  }

  override authenticate(): Promise<Authentication> {
    return Promise.resolve({ userId: "u1", userName: "User" });
  }

  override async getOwnedGames(): Promise<Game[]> {
    const suffix = JSON.parse(await readAssetText("data/titles.json")).suffix;
    const ids: string[] = await (await fetch("${store}/games")).json();
    const licenseInfo = { licenseType: LicenseType.SinglePurchase };
    return ids.map((gameId) => ({ gameId, gameTitle: gameId + suffix, licenseInfo }));
  }
}

if (import.meta.main) runPlugin(StorePlugin, Deno.args);
`;

async function project(dir: string, store: string, net: string[]) {
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(MANIFEST));
  await Deno.writeTextFile(`${dir}/plugin.ts`, plugin(store));
  await Deno.mkdir(`${dir}/data`, { recursive: true });
  await Deno.writeTextFile(`${dir}/data/titles.json`, '{"suffix": " (store)"}');
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ imports, permissions: { integration: { net } } }),
  );
}

const SIM = ["sim", "--import", "owned", "--fresh", "--no-transcript"];
const COMPILE = (() => {
  try {
    return Boolean(Deno.env.get("DENORT_BIN"));
  } catch {
    return false;
  }
})();

Deno.test("sandbox: a store host not granted fails the simulator with one line naming the deno.json entry; granted, source and build pass", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.2", port: 0, onListen: () => {} },
    () => Response.json(["s1", "s2"]),
  );
  const dir = await Deno.makeTempDir({ prefix: "galaxy-sandbox-" });
  try {
    const store = `http://127.0.0.2:${server.addr.port}`;
    await project(dir, store, []);
    const denied = await galaxy([...SIM, "."], dir);
    assertEquals(denied.code, 1, denied.stdout + denied.stderr);
    // The error Galaxy got carries the line; the integration's log said it too, and the
    // report says it once.
    const host = `127.0.0.2:${server.addr.port}`;
    const line = `permission denied: net access to "${host}"; grant it in deno.json: ` +
      `permissions.integration.net: ["${host}"]`;
    assertEquals(
      denied.stderr.split("\n").filter((l) => l.includes("permission denied")),
      [`✗ import_owned_games answered error 0 ${line} (UnknownError)`],
      denied.stderr,
    );
    assertMatch(denied.stderr, /^✗ 0 protocol violation\(s\), 1 other problem\(s\)$/m);

    // What the line says to add, added.
    const entry = /permissions\.integration\.net: (\[.*?\])/.exec(denied.stderr)![1];
    await project(dir, store, JSON.parse(entry));
    const source = await galaxy([...SIM, "."], dir);
    assertEquals(source.code, 0, source.stdout + source.stderr);
    assertMatch(
      source.stdout,
      /▶ starting \S+ run --no-prompt --config \S+deno\.json --allow-net=127\.0\.0\.1,127\.0\.0\.2:\d+ --allow-read=\S+titles\.json --allow-import \S+plugin\.ts/,
    );
    assertMatch(source.stdout, /import_owned_games: 2 owned games/);
    // The title's suffix comes from the shipped asset.
    assertMatch(source.stdout, /s2 \(store\)/);

    const built = await galaxy(["build", ".", "--no-compile"], dir);
    assertEquals(built.code, 0, built.stdout + built.stderr);
    assertEquals(
      await Deno.readTextFile(`${dir}/dist/store/data/titles.json`),
      '{"suffix": " (store)"}',
    );
    const launched = await galaxy([...SIM, "dist/store"], dir);
    assertEquals(launched.code, 0, launched.stdout + launched.stderr);
    assertMatch(launched.stdout, /▶ starting python3 dist\/store\/plugin\.py/);
    assertMatch(launched.stdout, /import_owned_games: 2 owned games/);
    assertMatch(launched.stdout, /s2 \(store\)/);

    // The binary, where a compile runtime is at hand: the asset comes from inside it.
    if (!COMPILE) return;
    const compiled = await galaxy(["build", ".", "--target", "host"], dir);
    assertEquals(compiled.code, 0, compiled.stdout + compiled.stderr);
    await Deno.remove(`${dir}/dist/store/data`, { recursive: true });
    await Deno.remove(`${dir}/dist/store/plugin.js`);
    const binary = await galaxy([...SIM, "dist/store"], dir);
    assertEquals(binary.code, 0, binary.stdout + binary.stderr);
    assertMatch(binary.stdout, /s2 \(store\)/);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Plays Galaxy for one request to an integration run as `command`: its answer and its log. */
async function answerOf(command: string[], method: string) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const child = new Deno.Command(command[0], {
    args: [...command.slice(1), "token", String(listener.addr.port)],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const conn = await listener.accept();
  listener.close();
  const send = (id: string, name: string) =>
    conn.write(new TextEncoder().encode(
      JSON.stringify({ jsonrpc: "2.0", id, method: name, params: {} }) + "\n",
    ));
  await send("1", method);
  let text = "";
  const decoder = new TextDecoder();
  const chunk = new Uint8Array(65_536);
  // deno-lint-ignore no-explicit-any
  let answer: any;
  while (!answer) {
    const n = await conn.read(chunk);
    if (n === null) break;
    text += decoder.decode(chunk.subarray(0, n));
    answer = text.split("\n").filter((l) => l).map((l) => JSON.parse(l)).find((m) => m.id === "1");
  }
  await send("2", "shutdown");
  const { stdout, stderr } = await output;
  conn.close();
  return { answer, log: decoder.decode(stdout) + decoder.decode(stderr) };
}

Deno.test("sandbox: a raw fetch denied in a handler reaches Galaxy and the log as the one line", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.2", port: 0, onListen: () => {} },
    () => Response.json(["s1"]),
  );
  const dir = await Deno.makeTempDir({ prefix: "galaxy-sandbox-" });
  try {
    await project(dir, `http://127.0.0.2:${server.addr.port}`, []);
    // Exactly the flags the build bakes into the binary (plus loading the modules by URL).
    const sandbox = await sandboxFlags(dir, "source");
    assert(sandbox.ok);
    const { answer, log } = await answerOf([
      Deno.execPath(),
      "run",
      "--no-prompt",
      "--config",
      `${dir}/deno.json`,
      ...sandbox.flags,
      `${dir}/plugin.ts`,
    ], "import_owned_games");
    const host = `127.0.0.2:${server.addr.port}`;
    const entry = `permissions.integration.net: ["${host}"]`;
    const line = `permission denied: net access to "${host}"; grant it in deno.json: ${entry}`;
    assertEquals(answer?.error, {
      code: 0,
      message: line,
      data: { permission: "net", resource: host, entry, internal_type: "UnknownError" },
    }, log);
    assertMatch(
      log,
      new RegExp(
        `^\\S+ ERROR galaxy\\.plugin: Unexpected exception raised in the handler of ` +
          `import_owned_games: ${line.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`,
        "m",
      ),
    );
    // Not Deno's advice, which names a flag no author passes, nor its stack.
    assert(!log.includes("run again with"), log);
    assert(!log.includes("at StorePlugin.getOwnedGames"), log);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sandbox: --allow-all is the visible opt-out", async () => {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-sandbox-" });
  try {
    // Nothing listens there: the fetch fails for want of a server, not of a permission.
    await project(dir, "http://127.0.0.2:1", []);
    const run = await galaxy([...SIM, "--allow-all", "."], dir);
    assertMatch(run.stderr, /^! --allow-all: every permission granted, unlike in Galaxy/m);
    assertMatch(run.stdout, /▶ starting \S+ run -A \S+plugin\.ts/);
    assert(!run.stderr.includes("permission denied"), run.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sandbox: a scaffolded project's test and sim tasks run inside the set of its deno.json", async () => {
  const dir = await Deno.makeTempDir({ prefix: "galaxy-sandbox-" });
  try {
    const root = new URL("../..", import.meta.url).pathname;
    const init = await galaxy(["init", "sandboxed", "--from", root], dir);
    assertEquals(init.code, 0, init.stdout + init.stderr);
    const project = `${dir}/sandboxed`;
    const config = JSON.parse(await Deno.readTextFile(`${project}/deno.json`));
    assertEquals(config.permissions.integration, {
      net: ["example.com"],
      env: ["GALAXY_LOG_LEVEL"],
    });
    // A probe among the project's tests: it passes only inside that set.
    await Deno.writeTextFile(
      `${project}/probe_test.ts`,
      `import assert from "node:assert/strict";
Deno.test("probe", async () => {
  const state = async (d: Deno.PermissionDescriptor) => (await Deno.permissions.query(d)).state;
  assert.equal(await state({ name: "net", host: "example.com" }), "granted");
  assert.equal(await state({ name: "net", host: "127.0.0.1" }), "granted");
  assert.notEqual(await state({ name: "env", variable: "HOME" }), "granted");
  assert.notEqual(await state({ name: "write", path: "/" }), "granted");
});
`,
    );
    const task = async (name: string) => {
      const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
        args: ["task", name],
        cwd: project,
        env: { NO_COLOR: "1" },
        stdin: "null",
      }).output();
      return { code, out: new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr) };
    };
    const test = await task("test");
    assertEquals(test.code, 0, test.out);
    assertMatch(test.out, /3 passed \| 0 failed/);
    const sim = await task("sim");
    assertEquals(sim.code, 0, sim.out);
    assertMatch(
      sim.out,
      /▶ starting \S+ run --no-prompt --config \S+ --allow-net=127\.0\.0\.1,example\.com --allow-env=GALAXY_LOG_LEVEL --allow-import \S+plugin\.ts/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
