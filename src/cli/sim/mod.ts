/**
 * The simulator behind `galaxy sim`: plays Galaxy's part against a real integration
 * process over TCP.
 *
 * @module
 */
export { SimError } from "./errors.ts";
export { resolveCommand, type ResolveOptions } from "./launch.ts";
export { LineInput } from "./line_input.ts";
export { askLogin, fileLogin, interactive, readLoginFile } from "./interactive.ts";
export { GALAXY_LIMITS, type Limit, type Limits, limits } from "./limits.ts";
export {
  importSteps,
  parseScript,
  replaySteps,
  runSteps,
  SCENARIOS,
  scenarioSteps,
  type Step,
} from "./script.ts";
export { type Ending, ENDINGS, IMPORT_NAMES } from "./catalog.ts";
export { type Output, scrubbed } from "./output.ts";
export {
  type LoginAnswer,
  type LoginPrompt,
  type SimOptions,
  SimSession,
  type StepReport,
} from "./session.ts";
export { readTranscript, type TranscriptEntry, TranscriptWriter } from "./transcript.ts";
