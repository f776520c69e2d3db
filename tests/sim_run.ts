// `galaxy sim` as a user runs it, for the simulator's tests: a real CLI process that
// starts a real integration process.

/** The CLI's entry point. */
export const CLI = new URL("../src/cli/main.ts", import.meta.url).pathname;
/** The fixture integration. */
export const FIXTURE = new URL("./fixtures/fixture_plugin.ts", import.meta.url).pathname;
/** An integration under tests/fixtures/broken/ that breaks the protocol on purpose. */
export const broken = (name: string): string =>
  new URL(`./fixtures/broken/${name}.ts`, import.meta.url).pathname;

/** What the simulator printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `galaxy sim <args>` in `cwd`, feeding `stdin` when given. */
export async function sim(
  args: string[],
  cwd: string,
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  // A loaded machine may take longer than Galaxy's one second to let a process exit after
  // shutdown; the tests of that second pass --shutdown-grace 1 themselves.
  const grace = args.includes("--shutdown-grace") ? [] : ["--shutdown-grace", "10"];
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "sim", ...grace, ...args],
    cwd,
    env: { NO_COLOR: "1", ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}
