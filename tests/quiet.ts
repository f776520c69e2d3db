// Preloaded by `deno task test` into every test module: the runtime's log lines of the
// plugins the tests serve in-process go nowhere, so a passing run prints only the runner's
// lines. Tests that read the log install their own sink (and put this one back); the
// integrations the tests start as processes are untouched and log as they always do.
import { setLogSink } from "../src/log/mod.ts";

setLogSink(() => {});
