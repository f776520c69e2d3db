// The fuzz in the normal test suite: every saved failing case, then a small generated run.
import { assert, assertEquals } from "../assert.ts";
import { FuzzTarget } from "./driver.ts";
import { CASES_DIR, loadCases } from "./saved.ts";
import { fuzz } from "./run.ts";
import { sweep } from "./generate.ts";

Deno.test("fuzz: every saved case replays without a crash, hang or malformed answer", async () => {
  const saved = await loadCases();
  // loadCases() gives [] for a missing folder: a moved or emptied cases/ would pass silently.
  assert(saved.length > 0, `no saved case found in ${CASES_DIR}`);
  for (const [name, { cases }] of saved) assert(cases.length > 0, `${name} holds no case`);
  let target = await FuzzTarget.start();
  const problems: string[] = [];
  try {
    for (const [name, { cases }] of saved) {
      for (const c of cases) {
        const problem = await target.runCase(c);
        if (!problem) continue;
        problems.push(`${name}: ${problem.kind}: ${problem.detail.slice(0, 500)}`);
        await target.close();
        target = await FuzzTarget.start();
        break;
      }
    }
  } finally {
    await target.close();
  }
  assertEquals(problems, []);
});

Deno.test("fuzz: the sweep of every method with every wrong param, then random cases", async () => {
  const cases = sweep().length + 100;
  const summary = await fuzz({ seed: 2, cases, processes: 2, save: null });
  assertEquals(
    summary.failures.map((f) =>
      `case ${f.index}: ${f.problem.kind}: ${f.problem.detail.slice(0, 300)}`
    ),
    [],
  );
  assertEquals(summary.cases, cases);
});
