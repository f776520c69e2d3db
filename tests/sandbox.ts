// Running a snippet in a child Deno that has only the permissions given, as a built
// integration has: `deno run` of a file (never `deno eval`, which grants everything),
// without a config, its stdout's lines returned.
export async function runSandboxed(
  source: string,
  flags: readonly string[],
  env: Record<string, string> = {},
): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, source);
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-lock", ...flags, `${dir}/probe.ts`],
      cwd: dir,
      env: { ...env, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(`the sandboxed probe failed: ${new TextDecoder().decode(output.stderr)}`);
    }
    return new TextDecoder().decode(output.stdout).trim().split("\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
