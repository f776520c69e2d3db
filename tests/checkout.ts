// The package as a user gets it, for tests of the new-user path: a copy of what a
// checkout holds, the same files served over HTTP, and `deno` run as a user types it.
import { cp } from "node:fs/promises";

/** The root of this repository. */
export const ROOT = new URL("../", import.meta.url);

/** What an author's copy of the package needs: the entry points and everything they import. */
const PACKAGE_FILES = ["mod.ts", "deno.json", "src"];

/** What `deno` printed and how it ended. */
export interface Ran {
  readonly code: number;
  readonly out: string;
}

/**
 * Runs `deno <args>` in `cwd`, as from a fresh shell: no `INIT_CWD` inherited from a
 * `deno task` or `npx` this suite may run under (it would stand for the caller's folder).
 */
export async function deno(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Ran> {
  const inherited = Deno.env.toObject();
  delete inherited.INIT_CWD;
  delete inherited.GALAXY_CWD;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [...args],
    cwd,
    clearEnv: true,
    env: { ...inherited, NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const decoder = new TextDecoder();
  return { code, out: decoder.decode(stdout) + decoder.decode(stderr) };
}

/** Copies the package's files into `dir` (created), as a checkout or a download holds them. */
export async function copyPackage(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const name of PACKAGE_FILES) {
    await cp(new URL(name, ROOT), `${dir}/${name}`, { recursive: true });
  }
}

/**
 * Serves this repository's files over HTTP on 127.0.0.1, TypeScript as
 * `application/typescript`, the way a raw file host serves a tag of the repository.
 * Returns the base URL (ending in `/`) and the server, to shut down.
 */
export function servePackage(): { base: string; server: Deno.HttpServer<Deno.NetAddr> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\/+/, "");
    if (path.split("/").includes("..")) return new Response("no", { status: 403 });
    try {
      const body = await Deno.readFile(new URL(path, ROOT));
      return new Response(body, { headers: { "content-type": contentType(path) } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  return { base: `http://127.0.0.1:${server.addr.port}/`, server };
}

function contentType(path: string): string {
  if (path.endsWith(".ts")) return "application/typescript";
  if (path.endsWith(".json")) return "application/json";
  return "text/plain; charset=utf-8";
}
