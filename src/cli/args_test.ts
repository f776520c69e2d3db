import { assertEquals } from "../../tests/assert.ts";
import { parseCommandArgs } from "./args.ts";

function capture<T>(fn: () => T): { result: T; out: string[] } {
  const out: string[] = [];
  const { log, error } = console;
  console.log = (line: string) => out.push(`out: ${line}`);
  console.error = (line: string) => out.push(`err: ${line}`);
  try {
    return { result: fn(), out };
  } finally {
    Object.assign(console, { log, error });
  }
}

const OPTIONS = { out: { type: "string" }, force: { type: "boolean" } } as const;

Deno.test("parsed values, --help, and one-line usage errors with exit code 2", () => {
  const ok = capture(() => parseCommandArgs("demo", ["--out", "d", "x"], OPTIONS, "usage"));
  assertEquals(typeof ok.result === "number" ? ok.result : ok.result.values.out, "d");
  assertEquals(typeof ok.result === "number" ? ok.result : ok.result.positionals, ["x"]);
  assertEquals(ok.out, [], "a good command line prints nothing");
  assertEquals(capture(() => parseCommandArgs("demo", ["-h"], OPTIONS, "usage text")), {
    result: 0,
    out: ["out: usage text"],
  });
  assertEquals(capture(() => parseCommandArgs("demo", ["--nope"], OPTIONS, "usage")), {
    result: 2,
    out: ["err: galaxy demo: Unknown option '--nope'; see galaxy demo --help"],
  });
});
